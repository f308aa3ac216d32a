package dev.chatengine.cluster.redis;

import dev.chatengine.testing.ChatTestClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes on one real redis-server, through the failures the design names: nodes dying, Redis dying, slow nodes. */
class ClusterFailureTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private Node a;
    private Node b;

    @BeforeEach
    void start() throws Exception {
        if (!REDIS.isAlive()) {
            REDIS.restart();
        }
        try (Jedis j = REDIS.connect()) {
            j.flushAll();
            j.configSet("client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
        a = new Node(REDIS.uri(), "a");
        b = new Node(REDIS.uri(), "b");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Peer.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + Peer.WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<Long> seqs(List<Reply> messages, String room) {
        List<Long> out = new ArrayList<>();
        for (Reply m : messages) {
            if (room.equals(m.string("room"))) {
                out.add(m.number("seq"));
            }
        }
        return out;
    }

    @Test
    void aJoinWhileTheOtherNodeFloodsMeetsTheLiveMessagesWithNoGapAndNoDuplicate() throws Exception {
        Peer alice = a.connect();
        alice.login("alice");
        alice.join("flood");
        int total = 400;
        for (int round = 0; round < 4; round++) {
            int from = round * total;
            Thread flood = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < total; i++) {
                    alice.say("flood", "f" + (from + i));
                }
            });
            Peer bob = b.connect();
            bob.login("bob" + round);
            Reply joined = bob.join("flood");
            flood.join();
            alice.awaitAll("message", from + total);
            List<Long> history = new ArrayList<>();
            for (Object m : joined.list("history")) {
                history.add(((Number) ((java.util.Map<?, ?>) m).get("seq")).longValue());
            }
            List<Reply> live = bob.awaitAll("message", 0);
            eventually("bob gets up to seq " + (from + total), () -> {
                List<Long> s = seqs(bob.all("message"), "flood");
                return !s.isEmpty() && s.getLast() == from + total;
            });
            List<Long> all = new ArrayList<>(history);
            all.addAll(seqs(bob.all("message"), "flood"));
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i)).as("seq after %s in %s", all.get(i - 1), all).isEqualTo(all.get(i - 1) + 1);
            }
            assertThat(live).isNotNull();
            bob.close();
            // b forgets the room when its last member leaves; the next round opens it again while alice floods.
        }
    }

    @Test
    void aKilledNodesMembersLeaveEveryonesViewAndItsNamesAreFreed() {
        Peer alice = a.connect();
        alice.login("alice");
        Peer bob = b.connect();
        bob.login("bob");
        alice.next("presence");  // bob joined
        long crashed = System.nanoTime();
        b.crash();
        Reply left = alice.next("presence");
        assertThat(left.string("name")).isEqualTo("bob");
        assertThat(left.string("event")).isEqualTo("leave");
        assertThat(Duration.ofNanos(System.nanoTime() - crashed)).isLessThan(Duration.ofSeconds(30));
        alice.send("{\"type\":\"who\",\"room\":\"lobby\"}");
        assertThat(alice.next("members").list("members")).containsExactly("alice");
        Peer bob2 = a.connect();
        bob2.login("bob"); // the dead node's name is free
    }

    @Test
    void redisKilledAndRestartedMessagesSaidMeanwhileAreRefusedThenANewEpochWithRecoveredFalse() throws Exception {
        Peer alice = a.connect();
        alice.login("alice");
        Reply joined = alice.join("r");
        String epoch = joined.string("epoch");
        Peer bob = b.connect();
        bob.login("bob");
        bob.join("r");
        alice.say("r", "before");
        bob.next("message");
        REDIS.kill();
        eventually("both nodes not ready", () -> !a.broker.isReady() && !b.broker.isReady());
        alice.send("{\"type\":\"say\",\"room\":\"r\",\"text\":\"during\",\"ref\":\"x\"}");
        Reply refused = alice.next("error");
        assertThat(refused.string("code")).isEqualTo("unavailable");
        assertThat(refused.string("ref")).isEqualTo("x");
        REDIS.restart();
        eventually("both nodes ready again", () -> a.broker.isReady() && b.broker.isReady());
        // Redis lost the room: each node resets it and closes its members so that they rejoin and learn it.
        eventually("alice and bob closed to rejoin", () -> alice.connection.closedWith() != null && bob.connection.closedWith() != null);
        assertThat(alice.connection.applicationClose().code()).as("service restart: reconnect and rejoin").isEqualTo(1012);
        assertThat(bob.connection.applicationClose().code()).isEqualTo(1012);
        Peer carol = b.connect();
        carol.login("carol");
        carol.send("{\"type\":\"join\",\"room\":\"r\",\"since\":1,\"epoch\":\"" + epoch + "\"}");
        Reply back = carol.next("joined");
        assertThat(back.string("epoch")).isNotEqualTo(epoch);
        assertThat(back.json()).contains("\"recovered\":false");
        Peer dave = a.connect();
        dave.login("dave");
        dave.join("r");
        dave.say("r", "after");
        assertThat(carol.next("message").string("text")).isEqualTo("after");
        assertThat(a.broker.metrics().reconnects()).isPositive();
        assertThat(a.broker.metrics().publishFailures()).isEqualTo(1);
    }

    @Test
    void aNodeWhoseSubscriptionRedisDropsForBeingSlowResyncsOrClosesItsClientsNeverASilentGap() throws Exception {
        REDIS.config("client-output-buffer-limit", "pubsub 64kb 0 0");
        Peer alice = a.connect();
        alice.login("alice");
        alice.join("big");
        Peer bob = b.connect();
        bob.login("bob");
        bob.join("big");
        CountDownLatch gate = new CountDownLatch(1);
        b.broker.stallReadersForTest(gate);
        String text = "x".repeat(4000);
        int total = 2000; // 8 MB on b's stalled connection: past the loopback socket buffers and far over 64 KB
        for (int i = 0; i < total; i++) {
            alice.say("big", text);
        }
        alice.awaitAll("message", total);
        gate.countDown();
        b.broker.stallReadersForTest(null);
        eventually("b reconnected", () -> b.broker.metrics().reconnects() > 0);
        eventually("bob closed to rejoin, or all " + total + " delivered",
                () -> bob.connection.closedWith() != null || seqs(bob.all("message"), "big").size() == total);
        List<Long> got = seqs(bob.all("message"), "big");
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i + 1L); // what bob got is a gap-free prefix
        }
        if (got.size() < total) {
            assertThat(b.broker.metrics().resets()).isPositive();
            assertThat(bob.connection.applicationClose().code()).isEqualTo(1012);
        }
        // And the room goes on for b's clients after they rejoin.
        Peer carol = b.connect();
        carol.login("carol");
        carol.join("big");
        alice.say("big", "after");
        assertThat(carol.next("message").string("text")).isEqualTo("after");
    }

    @Test
    void aSubscriptionKilledByRedisReconnectsAndFillsWhatItMissedFromTheStream() {
        Peer alice = a.connect();
        alice.login("alice");
        alice.join("k");
        Peer bob = b.connect();
        bob.login("bob");
        bob.join("k");
        alice.say("k", "m0");
        bob.next("message");
        try (Jedis j = REDIS.connect()) {
            j.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        }
        for (int i = 1; i <= 20; i++) {
            alice.say("k", "m" + i);   // some of these are published while b is reconnecting
        }
        eventually("bob has all 21", () -> seqs(bob.all("message"), "k").size() == 21);
        assertThat(seqs(bob.all("message"), "k")).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
        assertThat(bob.connection.closedWith()).isNull(); // within the history: filled, no reset
        assertThat(b.broker.metrics().resets()).isZero();
        eventually("b reconnected", () -> b.broker.metrics().reconnects() > 0 && b.broker.isReady());
    }

    @Test
    void theTailLostToAFailoverRotatesTheEpochAndClientsRejoinWithRecoveredFalse() {
        Peer alice = a.connect();
        alice.login("alice");
        String epoch = alice.join("t").string("epoch");
        alice.say("t", "kept");
        alice.next("message");
        byte[] meta;
        byte[] stream;
        try (Jedis j = REDIS.connect()) {
            meta = j.dump(Keys.meta("t"));
            stream = j.dump(Keys.stream("t"));
        }
        alice.say("t", "lost 1");
        alice.say("t", "lost 2");
        alice.awaitAll("message", 3);
        try (Jedis j = REDIS.connect()) {   // as an asynchronous replica promoted without the last two writes
            j.restore(Keys.meta("t"), 0, meta, redis.clients.jedis.params.RestoreParams.restoreParams().replace());
            j.restore(Keys.stream("t"), 0, stream, redis.clients.jedis.params.RestoreParams.restoreParams().replace());
        }
        alice.connection.await("alice closed to rejoin", Peer.WAIT, c -> c.closedWith() != null);
        Peer back = b.connect();
        back.login("alice2");
        back.send("{\"type\":\"join\",\"room\":\"t\",\"since\":3,\"epoch\":\"" + epoch + "\"}");
        Reply joined = back.next("joined");
        assertThat(joined.string("epoch")).isNotEqualTo(epoch);
        assertThat(joined.json()).contains("\"recovered\":false");
    }

    @Test
    void aSubscriptionThatSilentlyDeliversNothingIsRestartedByItsProbeAndCatchesUp() {
        Peer alice = a.connect();
        alice.login("alice");
        alice.join("p");
        Peer bob = b.connect();
        bob.login("bob");
        bob.join("p");
        b.broker.deafenForTest(true);   // connected, subscribed, and nothing arrives (centrifugo#1189)
        for (int i = 1; i <= 5; i++) {
            alice.say("p", "m" + i);
        }
        alice.awaitAll("message", 5);
        eventually("b's probe restarted a connection", () -> b.broker.metrics().reconnects() > 0);
        b.broker.deafenForTest(false);
        eventually("bob has all 5", () -> seqs(bob.all("message"), "p").size() == 5);
        assertThat(seqs(bob.all("message"), "p")).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
}
