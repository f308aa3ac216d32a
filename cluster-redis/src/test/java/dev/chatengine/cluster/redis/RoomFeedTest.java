package dev.chatengine.cluster.redis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The feed's ordering rules without Redis: a scripted source and a recording sink. */
class RoomFeedTest {

    /** A stream of the seqs from {@code first} to {@code last} in {@code epoch}, as the source's Redis. */
    private static final class FakeRedis implements RoomFeed.Source {
        String epoch = "e1";
        long first = 1;
        long last;
        boolean down;

        @Override
        public List<RoomLog.Entry> range(long after, long before) {
            if (down) {
                throw new dev.chatengine.engine.chat.spi.BrokerUnavailableException("down");
            }
            List<RoomLog.Entry> out = new ArrayList<>();
            for (long s = Math.max(after + 1, first); s < before && s <= last; s++) {
                out.add(new RoomLog.Entry(s, "d" + s));
            }
            return out;
        }

        @Override
        public void rotate(String expected) {
            if (epoch.equals(expected)) {
                epoch = expected + "'";
                first = last + 1;
            }
        }

        @Override
        public RoomLog.Snapshot snapshot() {
            if (down) {
                throw new dev.chatengine.engine.chat.spi.BrokerUnavailableException("down");
            }
            return new RoomLog.Snapshot(epoch, last, range(Math.max(0, last - 50), last + 1), false);
        }
    }

    private static final class Recorder implements RoomFeed.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public void message(String epoch, RoomLog.Entry entry, String publicationId) {
            events.add(epoch + ":" + entry.seq());
        }

        @Override
        public void reset(String epoch, long lastSeq, List<RoomLog.Entry> recent) {
            events.add("reset " + epoch + ":" + lastSeq);
        }
    }

    private final FakeRedis redis = new FakeRedis();
    private final Recorder sink = new Recorder();
    private final RoomFeed feed = new RoomFeed(redis, sink, 50, new BrokerCounters());

    private RoomFeed.Pub pub(long seq) {
        redis.last = Math.max(redis.last, seq);
        return new RoomFeed.Pub(redis.epoch, seq, null, "d" + seq);
    }

    private void open(long lastSeq) {
        redis.last = lastSeq;
        feed.synced();
        feed.release();
    }

    @Test
    void publicationsDuringTheSubscribeAreMergedBySeqWithNothingTwice() {
        redis.last = 3;
        feed.onPub(pub(5));         // arrived before the snapshot was read, out of order
        feed.onPub(pub(4));
        RoomFeed.State state = feed.synced();
        assertThat(state.lastSeq()).isEqualTo(5); // snapshot taken after 4 and 5 were stored
        feed.onPub(pub(6));
        assertThat(sink.events).isEmpty(); // held until the service has registered the room
        feed.release();
        assertThat(sink.events).containsExactly("e1:6");
    }

    @Test
    void aDuplicateIsDroppedAndAGapIsFilledFromTheStream() {
        open(2);
        feed.onPub(pub(3));
        feed.onPub(pub(3));
        redis.last = 6;             // 4 and 5 were stored but their publications were lost
        feed.onPub(pub(6));
        assertThat(sink.events).containsExactly("e1:3", "e1:4", "e1:5", "e1:6");
    }

    @Test
    void aGapTheStreamNoLongerCoversIsAReset() {
        open(2);
        redis.first = 60;           // trimmed: 3..59 are gone
        redis.last = 100;
        feed.onPub(pub(100));
        assertThat(sink.events).containsExactly("reset e1:100");
        feed.onPub(pub(101));
        assertThat(sink.events).containsExactly("reset e1:100", "e1:101");
    }

    @Test
    void aNewEpochIsAReset() {
        open(7);
        redis.epoch = "e2";
        redis.last = 1;
        feed.onPub(new RoomFeed.Pub("e2", 1, null, "d1"));
        assertThat(sink.events).containsExactly("reset e2:1");
    }

    @Test
    void afterALostConnectionWhatWasMissedIsDeliveredOnResubscribe() {
        open(2);
        feed.beginSync();
        redis.last = 5;             // 3..5 published while the connection was down
        feed.onPub(pub(6));         // buffered
        feed.synced();
        assertThat(sink.events).containsExactly("e1:3", "e1:4", "e1:5", "e1:6");
    }

    @Test
    void aFillThatFailsHoldsEverythingUntilAResyncSucceeds() {
        open(1);
        redis.down = true;
        redis.last = 3;
        feed.onPub(new RoomFeed.Pub("e1", 3, null, "d3")); // gap 2, Redis down: nothing delivered, nothing skipped
        assertThat(sink.events).isEmpty();
        redis.down = false;
        feed.resyncIfStale();
        assertThat(sink.events).containsExactly("e1:2", "e1:3");
    }

    @Test
    void thePositionCheckFillsWhatPubSubNeverBroughtAndRotatesACounterThatWentBack() {
        open(2);
        redis.last = 4;
        feed.check("e1", 4, feed.state());        // 3 and 4 never came through pub/sub
        assertThat(sink.events).containsExactly("e1:3", "e1:4");
        RoomFeed.State before = feed.state();
        feed.onPub(pub(5));                       // delivered after the position (4) was read: not a regression
        feed.check("e1", 4, before);
        assertThat(sink.events).containsExactly("e1:3", "e1:4", "e1:5");
        redis.last = 1;                           // the tail lost (failover): the counter is below what was delivered
        feed.check("e1", 1, feed.state());
        assertThat(sink.events).last().isEqualTo("reset e1':1");
    }
}
