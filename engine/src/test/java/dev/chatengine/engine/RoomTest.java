package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rooms over in-memory connections: membership, order, exactly-once, atomically. */
class RoomTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    private TestHub hub(HubConfig config) {
        testHub = new TestHub(config, new RecordingHandler());
        return testHub;
    }

    @Test
    void joinLeaveAndMembership() {
        TestHub t = hub(HubConfig.defaults());
        Room room = t.hub().room("lobby");
        assertThat(t.hub().room("lobby")).isSameAs(room);
        assertThat(t.hub().findRoom("lobby")).contains(room);
        assertThat(t.hub().findRoom("nowhere")).isEmpty();
        Peer a = t.connect();
        Peer b = t.connect();

        assertThat(room.join(a.client())).isTrue();
        assertThat(room.join(a.client())).as("second join").isFalse();
        assertThat(room.join(b.client())).isTrue();
        assertThat(room.members()).containsExactly(a.client(), b.client());
        assertThat(room.size()).isEqualTo(2);
        assertThat(room.contains(a.client())).isTrue();
        assertThat(a.client().rooms()).containsExactly(room);

        assertThat(room.leave(a.client())).isTrue();
        assertThat(room.leave(a.client())).as("second leave").isFalse();
        assertThat(room.members()).containsExactly(b.client());
        assertThat(a.client().rooms()).isEmpty();
        assertThat(t.hub().metrics().rooms()).isEqualTo(1);
    }

    @Test
    void aClosedClientCannotJoin() {
        TestHub t = hub(HubConfig.defaults());
        Peer a = t.connect();
        a.client().close(DisconnectReason.POLICY);
        assertThat(t.hub().room("r").join(a.client())).isFalse();
        assertThat(t.hub().room("r").size()).isZero();
    }

    @Test
    void broadcastReachesEveryMemberAndBroadcastExceptSkipsOne() {
        TestHub t = hub(HubConfig.defaults());
        Room room = t.hub().room("r");
        Peer a = t.connect();
        Peer b = t.connect();
        Peer outsider = t.connect();
        room.join(a.client());
        room.join(b.client());

        room.broadcast(ENCODER.text("one"));
        room.atomically(tx -> {
            tx.broadcastExcept(ENCODER.text("not for a"), a.client());
            tx.send(outsider.client(), ENCODER.text("direct"));
            return null;
        });
        room.broadcast(ENCODER.text("two"));

        assertThat(a.connection().awaitReceived(2, Await.PATIENCE)).containsExactly("one", "two");
        assertThat(b.connection().awaitReceived(3, Await.PATIENCE)).containsExactly("one", "not for a", "two");
        assertThat(outsider.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("direct");
    }

    @Test
    void concurrentBroadcastersProduceOneTotalOrderSeenByEveryMemberExactlyOnce() throws Exception {
        int members = 12;
        int broadcasters = 4;
        int perBroadcaster = 300;
        // Big enough that no healthy member is ever dropped on a busy machine.
        TestHub t = hub(HubConfig.builder().sendQueueCapacity(broadcasters * perBroadcaster).build());
        Room room = t.hub().room("r");
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Peer peer = t.connect();
            room.join(peer.client());
            peers.add(peer);
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int b = 0; b < broadcasters; b++) {
            int broadcaster = b;
            threads.add(Thread.ofVirtual().start(() -> {
                awaitLatch(start);
                for (int i = 0; i < perBroadcaster; i++) {
                    room.broadcast(ENCODER.text(broadcaster + ":" + i));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        int total = broadcasters * perBroadcaster;
        List<String> reference = peers.getFirst().connection().awaitReceived(total, Await.PATIENCE);
        assertThat(reference).hasSize(total).doesNotHaveDuplicates();
        assertPerBroadcasterOrder(reference, broadcasters, perBroadcaster);
        for (Peer peer : peers) {
            assertThat(peer.connection().awaitReceived(total, Await.PATIENCE))
                    .as("the total order seen by " + peer.client()).isEqualTo(reference);
            assertThat(peer.client().isOpen()).isTrue();
        }
        // Counted per batch after the write returns: possibly a moment after the peer saw the bytes.
        Await.until("every delivery counted", () -> t.hub().metrics().deliveries() == (long) total * members);
    }

    private static void assertPerBroadcasterOrder(List<String> seen, int broadcasters, int perBroadcaster) {
        Map<Integer, Integer> next = new HashMap<>();
        for (String text : seen) {
            String[] parts = text.split(":");
            int broadcaster = Integer.parseInt(parts[0]);
            int expected = next.getOrDefault(broadcaster, 0);
            assertThat(Integer.parseInt(parts[1])).as("next message of broadcaster " + broadcaster).isEqualTo(expected);
            next.put(broadcaster, expected + 1);
        }
        for (int b = 0; b < broadcasters; b++) {
            assertThat(next.get(b)).isEqualTo(perBroadcaster);
        }
    }

    /**
     * The chat layer's pattern: history is changed only inside atomically, and a join sends the history
     * in the same step. A joiner must then see history up to some n and exactly the messages n+1, n+2, ...
     * after it: no gap, no repeat, while a broadcaster runs flat out.
     */
    @Test
    void aJoinInsideAtomicallySeesExactlyTheMessagesAcceptedAfterIt() throws Exception {
        int messages = 2_000;
        TestHub t = hub(HubConfig.builder().sendQueueCapacity(messages + 10).build());
        Room room = t.hub().room("r");
        Peer first = t.connect();
        room.join(first.client());
        long[] lastSeq = {0}; // guarded by the room's order (changed only inside atomically)

        AtomicBoolean joinsDone = new AtomicBoolean();
        Thread broadcaster = Thread.ofVirtual().start(() -> {
            for (int i = 1; i <= messages; i++) {
                room.atomically(tx -> {
                    long seq = ++lastSeq[0];
                    tx.broadcast(ENCODER.text("m" + seq));
                    return null;
                });
                if (i == messages / 2) {
                    Await.until("joins done", joinsDone::get); // keep the broadcaster alive across the joins
                }
            }
        });
        List<Peer> joiners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Peer joiner = t.connect();
            room.atomically(tx -> {
                tx.join(joiner.client());
                tx.send(joiner.client(), ENCODER.text("history:" + lastSeq[0]));
                return null;
            });
            joiners.add(joiner);
        }
        joinsDone.set(true);
        broadcaster.join();

        for (Peer joiner : joiners) {
            joiner.connection().await("last message", Await.PATIENCE,
                    c -> !c.received().isEmpty() && c.received().getLast().equals("m" + messages));
            List<String> got = joiner.received();
            assertThat(got.getFirst()).startsWith("history:");
            long seen = Long.parseLong(got.getFirst().substring("history:".length()));
            List<String> expected = new ArrayList<>();
            for (long s = seen + 1; s <= messages; s++) {
                expected.add("m" + s);
            }
            assertThat(got.subList(1, got.size())).as("messages after history:" + seen).isEqualTo(expected);
        }
    }

    /**
     * A broadcast another thread has yet to fan out already counts as lagging: a flooder whose
     * messages another sender's fan-out takes along must be paced as well ({@code /ws/raw}).
     */
    @Test
    void aBroadcastNotYetFannedOutCountsAsQueued() throws Exception {
        TestHub t = hub(HubConfig.defaults());
        Room room = t.hub().room("r");
        Peer a = t.connect();
        room.join(a.client());
        CountDownLatch accepted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> room.atomically(tx -> {
            tx.broadcast(ENCODER.text("held"));
            accepted.countDown();
            awaitLatch(release); // the fan-out runs only when the body returns
            return null;
        }));
        awaitLatch(accepted);
        assertThat(room.queuedBroadcasts()).as("accepted, not yet in any queue").isEqualTo(1);
        assertThat(a.connection().received()).isEmpty();
        release.countDown();
        holder.join();
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("held");
        Await.until("the message has left the queue", () -> room.queuedBroadcasts() == 0);
    }

    @Test
    void aTransactionIsValidOnlyInsideItsBody() {
        TestHub t = hub(HubConfig.defaults());
        Room room = t.hub().room("r");
        AtomicReference<Room.Transaction> leaked = new AtomicReference<>();
        room.atomically(tx -> {
            leaked.set(tx);
            return null;
        });
        assertThatThrownBy(() -> leaked.get().broadcast(ENCODER.text("late")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stepsTakenBeforeAnExceptionInTheBodyStand() {
        TestHub t = hub(HubConfig.defaults());
        Room room = t.hub().room("r");
        Peer a = t.connect();
        assertThatThrownBy(() -> room.atomically(tx -> {
            tx.join(a.client());
            tx.broadcast(ENCODER.text("before"));
            throw new IllegalStateException("body failed");
        })).hasMessage("body failed");
        assertThat(room.contains(a.client())).isTrue();
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("before");
        room.broadcast(ENCODER.text("after")); // the room still works
        assertThat(a.connection().awaitReceived(2, Await.PATIENCE)).containsExactly("before", "after");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
