package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow, stuck, silent and unresponsive clients are dropped; the others never notice. */
class DropTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private final RecordingHandler handler = new RecordingHandler();
    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    private List<Peer> connectAll(int count, Room room) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Peer peer = testHub.connect();
            room.join(peer.client());
            peers.add(peer);
        }
        return peers;
    }

    /** Keeps healthy clients far from their queue bound, so that only the slow one can overflow. */
    private static void awaitHealthyQueuesBelow(List<Peer> healthy, int messages) {
        Await.until("healthy queues below " + messages,
                () -> healthy.stream().allMatch(p -> p.client().queuedMessages() < messages));
    }

    private static List<String> numbered(int count) {
        return IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void aSlowConsumerIsDroppedWhileEveryHealthyClientGetsEveryMessageExactlyOnceInOrder() throws Exception {
        int capacity = 16;
        int messages = 200;
        // Write and close timeouts far beyond the test's patience: only the drop itself may cut the socket.
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(capacity)
                .writeTimeout(Duration.ofMinutes(5)).closeTimeout(Duration.ofMinutes(5)).build(), handler);
        Hub hub = testHub.hub();
        Room room = hub.room("r");
        List<Peer> healthy = connectAll(10, room);
        Peer slow = testHub.connect();
        room.join(slow.client());
        slow.connection().blockWrites();

        room.broadcast(ENCODER.text("m0"));
        slow.connection().await("write pump blocked in a write", Await.PATIENCE, c -> c.isWriteBlocked());
        for (int i = 1; i < messages; i++) {
            awaitHealthyQueuesBelow(healthy, capacity / 2);
            room.broadcast(ENCODER.text("m" + i));
        }

        slow.readPump().join(Await.PATIENCE);
        assertThat(slow.readPump().isAlive()).as("the dropped client's serve returned").isFalse();
        assertThat(handler.closed(slow.client()).reason()).isEqualTo(DisconnectReason.SLOW_CONSUMER);
        assertThat(slow.connection().isAborted()).as("socket cut although no close frame could be written").isTrue();
        assertThat(hub.metrics().dropped(DisconnectReason.SLOW_CONSUMER)).isEqualTo(1);
        assertThat(hub.metrics().queueHighWaterMark()).isEqualTo(capacity);
        assertThat(room.contains(slow.client())).isFalse();

        for (Peer peer : healthy) {
            assertThat(peer.connection().awaitReceived(messages, Await.PATIENCE))
                    .as("everything, once, in order, for " + peer.client()).isEqualTo(numbered(messages));
            assertThat(peer.client().isOpen()).isTrue();
        }
        assertThat(hub.metrics().droppedTotal()).isEqualTo(1);
        assertThat(room.size()).isEqualTo(healthy.size());
    }

    @Test
    void aStuckWriterIsDroppedForWriteTimeoutWhileTheOthersKeepReceiving() throws Exception {
        int messages = 50;
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(1_000)
                .writeTimeout(Duration.ofMillis(500)).closeTimeout(Duration.ofMillis(500)).build(), handler);
        Hub hub = testHub.hub();
        Room room = hub.room("r");
        List<Peer> healthy = connectAll(5, room);
        Peer stuck = testHub.connect();
        room.join(stuck.client());
        stuck.connection().blockWrites(); // and never unblocked

        room.broadcast(ENCODER.text("m0"));
        stuck.connection().await("write pump blocked in a write", Await.PATIENCE, c -> c.isWriteBlocked());
        for (int i = 1; i < messages; i++) {
            room.broadcast(ENCODER.text("m" + i));
        }
        for (Peer peer : healthy) {
            assertThat(peer.connection().awaitReceived(messages, Await.PATIENCE)).isEqualTo(numbered(messages));
        }

        stuck.readPump().join(Await.PATIENCE);
        assertThat(stuck.readPump().isAlive()).as("the dropped client's serve returned").isFalse();
        assertThat(handler.closed(stuck.client()).reason()).isEqualTo(DisconnectReason.WRITE_TIMEOUT);
        assertThat(stuck.connection().isAborted()).isTrue();
        assertThat(stuck.connection().received()).isEmpty();
        assertThat(hub.metrics().dropped(DisconnectReason.WRITE_TIMEOUT)).isEqualTo(1);

        room.broadcast(ENCODER.text("after"));
        for (Peer peer : healthy) {
            assertThat(peer.connection().awaitReceived(messages + 1, Await.PATIENCE).getLast()).isEqualTo("after");
            assertThat(peer.client().isOpen()).isTrue();
        }
    }

    @Test
    void messagesQueuedDuringAWriteGoOutTogetherInOneBatch() {
        testHub = new TestHub(HubConfig.builder().maxBatchMessages(64).build(), handler);
        Room room = testHub.hub().room("r");
        Peer slow = testHub.connect();
        room.join(slow.client());
        slow.connection().blockWrites();
        room.broadcast(ENCODER.text("m0"));
        slow.connection().await("write pump blocked in a write", Await.PATIENCE, c -> c.isWriteBlocked());
        for (int i = 1; i <= 10; i++) {
            room.broadcast(ENCODER.text("m" + i));
        }
        assertThat(slow.client().queuedMessages()).isEqualTo(10);
        slow.connection().unblockWrites();

        assertThat(slow.connection().awaitReceived(11, Await.PATIENCE)).isEqualTo(numbered(11));
        assertThat(slow.connection().batchSizes()).containsExactly(1, 10);
        assertThat(testHub.hub().metrics().queueHighWaterMark()).isEqualTo(10);
    }

    @Test
    void aQuietClientIsPingedAndItsPongsKeepItAlive() {
        testHub = new TestHub(TestHub.fastConfig().build(), handler); // ping 200 ms, pong wait 400 ms
        Peer quiet = testHub.connect();
        // Three pings take at least 600 ms, longer than the pong wait: only the pongs kept it.
        quiet.connection().await("three pings", Await.PATIENCE, c -> c.pings() >= 3);
        assertThat(quiet.client().isOpen()).isTrue();
        assertThat(testHub.hub().metrics().droppedTotal()).isZero();
    }

    @Test
    void aClientThatSendsNothingWithinThePongWaitIsDropped() throws Exception {
        testHub = new TestHub(TestHub.fastConfig().build(), handler);
        Peer silent = testHub.connect(new dev.chatengine.testing.InMemoryConnection().answerPings(false));
        silent.readPump().join(Await.PATIENCE);
        assertThat(handler.closed(silent.client()).reason()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
        assertThat(silent.connection().closedWith()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
        assertThat(silent.connection().pings()).isPositive();
        assertThat(testHub.hub().metrics().dropped(DisconnectReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aClosingClientWhosePeerNeverAnswersIsCutAfterTheCloseTimeout() throws Exception {
        testHub = new TestHub(TestHub.fastConfig().build(), handler);
        Peer deaf = testHub.connect(new dev.chatengine.testing.InMemoryConnection().answerClose(false));
        deaf.client().close(DisconnectReason.POLICY);
        deaf.readPump().join(Await.PATIENCE);
        assertThat(deaf.readPump().isAlive()).isFalse();
        assertThat(deaf.connection().closedWith()).isEqualTo(DisconnectReason.POLICY);
        assertThat(deaf.connection().isAborted()).isTrue();
        assertThat(handler.closed(deaf.client()).reason()).isEqualTo(DisconnectReason.POLICY);
        assertThat(testHub.hub().metrics().droppedTotal()).isZero();
    }
}
