package dev.chatengine.cluster.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The publish script, history, exclusive ranges and epochs against a real redis-server. */
class RoomLogTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private RedisCalls calls;
    private RoomLog log;

    @BeforeEach
    void setUp() {
        try (Jedis j = REDIS.connect()) {
            j.flushAll();
        }
        RedisClusterConfig config = RedisClusterConfig.builder(REDIS.uri()).historySize(5).build();
        calls = new RedisCalls(config);
        log = new RoomLog(calls, config);
    }

    @AfterEach
    void tearDown() {
        calls.close();
    }


    @Test
    void publishGivesConsecutiveSeqsInOneEpochAndKeepsExactlyTheLastN() {
        RoomLog.Published first = log.publish("java", "p1", "é:1", null, 0);
        assertThat(first.seq()).isEqualTo(1);
        String epoch = first.epoch();
        for (int i = 2; i <= 12; i++) {
            RoomLog.Published p = log.publish("java", "p" + i, "d" + i, epoch, i - 1);
            assertThat(p).isEqualTo(new RoomLog.Published(epoch, i));
        }
        RoomLog.Snapshot snap = log.snapshot("java");
        assertThat(snap.epoch()).isEqualTo(epoch);
        assertThat(snap.lastSeq()).isEqualTo(12);
        assertThat(snap.entries()).extracting(RoomLog.Entry::seq).containsExactly(8L, 9L, 10L, 11L, 12L); // MAXLEN exact
        assertThat(snap.entries().get(4).data()).isEqualTo("d12");
        assertThat(snap.created()).isFalse();
    }

    @Test
    void publishGoesOutOnTheRoomChannelWithEpochSeqAndPubId() throws Exception {
        var received = new java.util.concurrent.LinkedBlockingQueue<String>();
        var sub = new redis.clients.jedis.JedisPubSub() {
            @Override public void onMessage(String channel, String message) { received.add(channel + " " + message); }
            @Override public void onSubscribe(String channel, int n) { received.add("subscribed"); }
        };
        Thread t = Thread.ofVirtual().start(() -> {
            try (Jedis j = REDIS.connect()) {
                j.subscribe(sub, Keys.channel("java"));
            }
        });
        assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("subscribed");
        RoomLog.Published p = log.publish("java", "abc", Fields.encode("a:b", "é"), null, 0);
        String message = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(message).startsWith("c:{java}:p m");
        assertThat(Fields.decode(message.substring("c:{java}:p m".length())))
                .containsExactly(p.epoch(), "1", "abc", "a:b", "é");
        sub.unsubscribe();
        t.join(10_000);
    }

    @Test
    void rangeIsExclusiveAtBothEnds() {
        String epoch = null;
        for (int i = 1; i <= 5; i++) {
            epoch = log.publish("r", "p", "", epoch, i - 1).epoch();
        }
        assertThat(log.range("r", 1, 4)).extracting(RoomLog.Entry::seq).containsExactly(2L, 3L);
        assertThat(log.range("r", 3, 4)).isEmpty();
        assertThat(log.range("r", 0, 6)).hasSize(5);
    }

    @Test
    void lostMetaStartsANewEpochAndDropsTheStaleStream() {
        String epoch = log.publish("r", "p", "", null, 0).epoch();
        log.publish("r", "p", "", epoch, 1);
        try (Jedis j = REDIS.connect()) {
            j.del(Keys.meta("r"));
        }
        RoomLog.Published p = log.publish("r", "p", "", epoch, 2);
        assertThat(p.epoch()).isNotEqualTo(epoch);
        assertThat(p.seq()).isEqualTo(1);
        assertThat(log.snapshot("r").entries()).extracting(RoomLog.Entry::seq).containsExactly(1L);
    }

    @Test
    void aCounterThatWentBackStartsANewEpoch() {
        // Tail loss as after a failover: the state is restored to before two publishes the caller saw.
        String epoch = log.publish("r", "p", "", null, 0).epoch();
        byte[] meta;
        byte[] stream;
        try (Jedis j = REDIS.connect()) {
            meta = j.dump(Keys.meta("r"));
            stream = j.dump(Keys.stream("r"));
        }
        log.publish("r", "p", "", epoch, 1);
        log.publish("r", "p", "", epoch, 2);
        try (Jedis j = REDIS.connect()) {
            j.restore(Keys.meta("r"), 0, meta, redis.clients.jedis.params.RestoreParams.restoreParams().replace());
            j.restore(Keys.stream("r"), 0, stream, redis.clients.jedis.params.RestoreParams.restoreParams().replace());
        }
        RoomLog.Published p = log.publish("r", "p", "", epoch, 3);
        assertThat(p.epoch()).isNotEqualTo(epoch);
        assertThat(p.seq()).isEqualTo(1);
    }

    @Test
    void aStreamAheadOfTheCounterStartsANewEpoch() {
        String epoch = log.publish("r", "p", "", null, 0).epoch();
        log.publish("r", "p", "", epoch, 1);
        try (Jedis j = REDIS.connect()) {
            j.hset(Keys.meta("r"), "s", "0"); // the counter lost, the stream kept
        }
        RoomLog.Published p = log.publish("r", "p", "", null, 0); // a caller that knows nothing
        assertThat(p.epoch()).isNotEqualTo(epoch);
        assertThat(p.seq()).isEqualTo(1);
    }

    @Test
    void rotateIsACompareAndSet() {
        String epoch = log.publish("r", "p", "", null, 0).epoch();
        String rotated = log.rotate("r", epoch);
        assertThat(rotated).isNotEqualTo(epoch);
        assertThat(log.rotate("r", epoch)).isEqualTo(rotated); // a second rotation of the old epoch does nothing
        assertThat(log.snapshot("r")).isEqualTo(new RoomLog.Snapshot(rotated, 0, List.of(), false));
    }

    @Test
    void aSnapshotOfANewRoomBeginsItsLifeOnce() {
        RoomLog.Snapshot first = log.snapshot("new");
        assertThat(first.created()).isTrue();
        assertThat(first.lastSeq()).isZero();
        RoomLog.Snapshot second = log.snapshot("new");
        assertThat(second.created()).isFalse();
        assertThat(second.epoch()).isEqualTo(first.epoch());
        assertThat(log.publish("new", "p", "", first.epoch(), 0)).isEqualTo(new RoomLog.Published(first.epoch(), 1));
    }

    @Test
    void aScriptUnknownToARestartedServerIsLoadedAgain() throws Exception {
        log.publish("r", "p", "", null, 0);
        try (Jedis j = REDIS.connect()) {
            j.scriptFlush();
        }
        assertThat(log.publish("r", "p", "", null, 0).seq()).isEqualTo(2);
    }
}
