package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.testing.InMemoryConnection;
import dev.chatengine.engine.testing.LiveThreads;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration, the client's life cycle, handler failures, metrics and shutdown. */
class HubLifecycleTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    @Test
    void aClientIsServedUntilThePeerClosesAndOnCloseStillSeesItsRooms() throws Exception {
        RecordingHandler handler = new RecordingHandler((client, text) ->
                client.send(ENCODER.text("echo:" + text)));
        testHub = new TestHub(HubConfig.defaults(), handler);
        Hub hub = testHub.hub();
        Peer a = testHub.connect();
        // serve registers the client, then calls onOpen: connect() waits only for the first.
        Await.until("onOpen called", () -> !handler.opened().isEmpty());
        assertThat(handler.opened()).containsExactly(a.client());
        assertThat(a.client().id()).isPositive();
        assertThat(a.client().isOpen()).isTrue();
        hub.room("r1").join(a.client());
        hub.room("r2").join(a.client());

        a.connection().feed("hi");
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("echo:hi");
        assertThat(a.connection().writerThreads()).containsExactly("chat-write-" + a.client().id());

        a.connection().peerClose();
        a.readPump().join(Await.PATIENCE);
        assertThat(a.readPump().isAlive()).as("serve returned").isFalse();
        RecordingHandler.Closed closed = handler.closed(a.client());
        assertThat(closed.reason()).isEqualTo(DisconnectReason.PEER_CLOSED);
        assertThat(closed.roomsDuringOnClose()).containsExactlyInAnyOrder(hub.room("r1"), hub.room("r2"));
        assertThat(closed.thread()).isEqualTo(a.readPump().getName());
        assertThat(hub.room("r1").size()).isZero();
        assertThat(hub.room("r2").size()).isZero();
        assertThat(a.client().rooms()).isEmpty();
        assertThat(hub.clients()).isEmpty();
        assertThat(hub.metrics().connections()).isZero();
        assertThat(a.client().send(ENCODER.text("late"))).isFalse();
        assertThat(hub.metrics().droppedTotal()).isZero();
    }

    @Test
    void anIdleClientHasNoWriteThreadAndAMessageStartsOneThatEndsOnceWritten() {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer a = testHub.connect();
        String writer = "chat-write-" + a.client().id();
        // Exact names: the prefix chat-write-1 is also chat-write-10's. Awaited for an earlier test's last thread.
        java.util.function.Supplier<List<String>> writers = () -> LiveThreads.named(writer).stream()
                .filter(writer::equals).toList();
        Await.until("no write thread for the idle client", () -> writers.get().isEmpty());
        assertThat(a.client().pump().state()).isEqualTo(WritePump.NEW);

        a.connection().blockWrites(); // holds the pump in its write, so that its thread can be seen
        a.client().send(ENCODER.text("one"));
        a.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        assertThat(writers.get()).containsExactly(writer);

        a.connection().unblockWrites();
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("one");
        Await.until("the write thread ended", () -> writers.get().isEmpty());
        assertThat(a.client().pump().state()).isEqualTo(WritePump.IDLE);
        assertThat(a.client().isOpen()).isTrue();
    }

    @Test
    void anIoErrorEndsTheClientAsConnectionLost() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer a = testHub.connect();
        a.connection().fail();
        a.readPump().join(Await.PATIENCE);
        assertThat(handler.closed(a.client()).reason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
    }

    @Test
    void theApplicationClosesAClientAndTheTransportSendsTheCloseOnce() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer a = testHub.connect();
        a.client().send(ENCODER.text("queued"));
        a.client().close(DisconnectReason.POLICY);
        a.client().close(DisconnectReason.SHUTDOWN); // first reason wins
        a.readPump().join(Await.PATIENCE);
        assertThat(a.connection().closedWith()).isEqualTo(DisconnectReason.POLICY);
        assertThat(a.connection().closeCalls()).isEqualTo(1);
        assertThat(handler.closed(a.client()).reason()).isEqualTo(DisconnectReason.POLICY);
        assertThat(a.client().closeReason()).isEqualTo(DisconnectReason.POLICY);
    }

    @Test
    void aHandlerExceptionClosesOnlyThatClientAndTheHubGoesOn() throws Exception {
        RecordingHandler handler = new RecordingHandler((client, text) -> {
            if (text.equals("boom")) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            client.send(ENCODER.text("ok:" + text));
        });
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer bad = testHub.connect();
        Peer good = testHub.connect();

        bad.connection().feed("boom");
        bad.readPump().join(Await.PATIENCE);
        assertThat(bad.readPump().isAlive()).isFalse();
        assertThat(handler.closed(bad.client()).reason()).isEqualTo(DisconnectReason.SERVER_ERROR);

        good.connection().feed("still there");
        assertThat(good.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("ok:still there");
        Peer late = testHub.connect();
        late.connection().feed("new");
        assertThat(late.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("ok:new");
    }

    @Test
    void aBinaryMessageClosesATextOnlyClientByDefault() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer a = testHub.connect();
        a.connection().feedBinary(new byte[] {1, 2});
        a.readPump().join(Await.PATIENCE);
        assertThat(handler.closed(a.client()).reason()).isEqualTo(DisconnectReason.UNSUPPORTED_DATA);
        assertThat(a.connection().closedWith()).isEqualTo(DisconnectReason.UNSUPPORTED_DATA);
    }

    /**
     * Many threads connect, join and leave rooms, and disconnect at once; at the end the hub's and
     * the rooms' books agree with what is still connected.
     */
    @Test
    void registerAndUnregisterRacesLeaveConsistentCounts() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Hub hub = testHub.hub();
        int workers = 16;
        int clientsPerWorker = 12;
        int roomCount = 5;
        CountDownLatch start = new CountDownLatch(1);
        List<List<Peer>> kept = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<Peer> mine = new ArrayList<>();
            kept.add(mine);
            Random random = new Random(w);
            threads.add(Thread.ofVirtual().start(() -> {
                awaitLatch(start);
                for (int i = 0; i < clientsPerWorker; i++) {
                    Peer peer = testHub.connect();
                    for (int r = 0; r < roomCount; r++) {
                        if (random.nextBoolean()) {
                            hub.room("room-" + r).join(peer.client());
                        }
                    }
                    hub.room("room-" + random.nextInt(roomCount)).leave(peer.client());
                    hub.room("room-" + random.nextInt(roomCount)).broadcast(ENCODER.text("x"));
                    if (i % 2 == 0) {
                        peer.connection().peerClose(); // leaves while others join
                    } else {
                        mine.add(peer);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        List<Client> remaining = kept.stream().flatMap(List::stream).map(Peer::client).toList();
        int total = workers * clientsPerWorker;
        Await.until("closed clients gone", () -> handler.closedCount() == total - remaining.size()
                && hub.metrics().connections() == remaining.size());

        assertThat(hub.metrics().connectionsTotal()).isEqualTo(total);
        assertThat(hub.clients()).containsExactlyInAnyOrderElementsOf(remaining);
        for (Room room : hub.rooms()) {
            assertThat(remaining).as("members of " + room.name() + " are all connected").containsAll(room.members());
            assertThat(room.members()).doesNotHaveDuplicates();
            for (Client member : room.members()) {
                assertThat(member.rooms()).contains(room);
            }
        }
        for (Client client : remaining) {
            for (Room room : client.rooms()) {
                assertThat(room.contains(client)).isTrue();
                assertThat(room.members()).contains(client);
            }
        }
        assertThat(hub.metrics().rooms()).isEqualTo(roomCount);
    }

    @Test
    void metricsCountMessagesDeliveriesBytesAndQueueDepth() {
        RecordingHandler handler = new RecordingHandler();
        testHub = new TestHub(HubConfig.defaults(), handler);
        Hub hub = testHub.hub();
        Room room = hub.room("r");
        Peer a = testHub.connect();
        Peer b = testHub.connect();
        room.join(a.client());
        room.join(b.client());
        a.connection().feed("one");
        a.connection().feed("two");
        room.broadcast(ENCODER.text("12345"));
        hub.broadcast("r", ENCODER.text("678"));
        a.connection().awaitReceived(2, Await.PATIENCE);
        b.connection().awaitReceived(2, Await.PATIENCE);
        Await.until("two messages received", () -> hub.metrics().messagesReceived() == 2);
        // The write pump counts a batch after its write returns, which may be just after the peer saw the bytes.
        Await.until("four deliveries counted", () -> hub.metrics().deliveries() == 4);

        HubMetrics metrics = hub.metrics();
        assertThat(metrics.connections()).isEqualTo(2);
        assertThat(metrics.connectionsTotal()).isEqualTo(2);
        assertThat(metrics.rooms()).isEqualTo(1);
        assertThat(metrics.deliveries()).isEqualTo(4);
        assertThat(metrics.bytesOut()).isEqualTo(2 * (5 + 3));
        assertThat(metrics.queueHighWaterMark()).isBetween(1L, 2L);
        assertThat(metrics.dropped(DisconnectReason.SLOW_CONSUMER)).isZero();
        assertThat(metrics.toString()).contains("deliveries=4");
    }

    @Test
    void shutdownClosesEveryClientWithShutdownAndLeavesNoThreadBehind() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        TestHub t = new TestHub(TestHub.fastConfig().pingPeriod(Duration.ofSeconds(5))
                .pongWait(Duration.ofSeconds(10)).build(), handler);
        Hub hub = t.hub();
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Peer peer = t.connect();
            hub.room("r").join(peer.client());
            peers.add(peer);
        }
        // One peer never answers the close: it must be cut after the grace period.
        peers.getFirst().connection().answerClose(false);
        // Idle clients hold no write thread (issue 12): shutdown starts each one to write the close.
        // (Awaited: an earlier test's last pump thread may take a moment to end.)
        Await.until("no write thread while every client is idle", () -> LiveThreads.named("chat-write-").isEmpty());
        assertThat(LiveThreads.named("chat-hub-reaper")).hasSize(1);

        hub.shutdown(Duration.ofMillis(500));

        for (Peer peer : peers) {
            peer.readPump().join(Await.PATIENCE);
            assertThat(peer.readPump().isAlive()).isFalse();
            assertThat(handler.closed(peer.client()).reason()).isEqualTo(DisconnectReason.SHUTDOWN);
            assertThat(peer.connection().closedWith()).isEqualTo(DisconnectReason.SHUTDOWN);
        }
        assertThat(peers.getFirst().connection().isAborted()).isTrue();
        assertThat(hub.metrics().connections()).isZero();
        assertThat(hub.room("r").size()).isZero();
        Await.until("no engine thread left", () -> LiveThreads.named("chat-").isEmpty());

        // Afterwards new connections are closed at once.
        InMemoryConnection late = new InMemoryConnection();
        Thread lateServe = t.start(late);
        lateServe.join(Await.PATIENCE);
        assertThat(lateServe.isAlive()).isFalse();
        assertThat(late.closedWith()).isEqualTo(DisconnectReason.SHUTDOWN);
        assertThat(late.isAborted()).isTrue();
        assertThat(handler.opened()).hasSize(20);
        hub.shutdown(Duration.ofMillis(100)); // idempotent
        hub.close();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
