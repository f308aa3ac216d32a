package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import dev.chatengine.engine.transport.EncodedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Queues bounded in bytes, the hub's queued bytes counting a shared message once, and shedding over the budget. */
class MemoryBudgetTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private final RecordingHandler handler = new RecordingHandler();
    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    private static EncodedMessage bytes(int length, char fill) {
        return ENCODER.text(String.valueOf(fill).repeat(length));
    }

    private List<Peer> blockedPeers(int count, Room room) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Peer peer = testHub.connect();
            room.join(peer.client());
            peer.connection().blockWrites();
            peers.add(peer);
        }
        return peers;
    }

    @Test
    void aClientWhoseQueueGoesPastItsByteBoundIsDroppedThoughItHoldsFewMessages() throws Exception {
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(1_000).sendQueueBytes(10_000).build(), handler);
        Peer slow = testHub.connect();
        slow.connection().blockWrites();
        slow.client().send(bytes(100, 'a'));
        slow.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        for (int i = 0; i < 9; i++) {
            assertThat(slow.client().send(bytes(1_000, 'b'))).isTrue();
        }
        assertThat(slow.client().queuedBytes()).isEqualTo(9_000);
        assertThat(slow.client().send(bytes(1_001, 'c'))).as("9,000 + 1,001 > 10,000").isFalse();

        slow.readPump().join(Await.PATIENCE);
        assertThat(handler.closed(slow.client()).reason()).isEqualTo(DisconnectReason.SLOW_CONSUMER);
        Await.until("queued bytes released", () -> testHub.hub().metrics().queuedBytes() == 0);
    }

    @Test
    void aBroadcastCountsOnceInTheHubAndInFullInEveryQueue() throws Exception {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Room room = testHub.hub().room("r");
        List<Peer> peers = blockedPeers(10, room);
        room.broadcast(bytes(10, 'x')); // each pump takes it and blocks writing it
        for (Peer peer : peers) {
            peer.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        }
        room.broadcast(bytes(1_000, 'y'));
        for (Peer peer : peers) {
            assertThat(peer.client().queuedBytes()).isEqualTo(1_000);
        }
        assertThat(testHub.hub().metrics().queuedBytes()).as("the 10 taken and the 1,000 queued, once each").isEqualTo(1_010);

        peers.forEach(p -> p.connection().unblockWrites());
        for (Peer peer : peers) {
            assertThat(peer.connection().awaitReceived(2, Await.PATIENCE)).hasSize(2);
        }
        Await.until("queued bytes back to 0", () -> testHub.hub().metrics().queuedBytes() == 0);
    }

    @Test
    void overTheBudgetTheClientsHoldingTheMostAreShedWith1013AndTheOthersStay() throws Exception {
        long budget = 50_000;
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(1_000).sendQueueBytes(1 << 20)
                .memoryBudgetBytes(budget).build(), handler);
        Hub hub = testHub.hub();
        Room room = hub.room("r");
        List<Peer> small = blockedPeers(5, room);
        Peer big1 = testHub.connect();
        Peer big2 = testHub.connect();
        for (Peer big : List.of(big1, big2)) {
            big.connection().blockWrites();
        }
        room.broadcast(bytes(10, 's'));
        for (Peer peer : small) {
            peer.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        }
        room.broadcast(bytes(1_000, 's')); // 1,000 queued once for the five small ones
        big1.client().send(bytes(10, 'b'));
        big2.client().send(bytes(10, 'b'));
        big1.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        big2.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        assertThat(hub.isOverMemoryBudget()).isFalse();
        for (int i = 0; i < 30; i++) { // 30,000 each: 61,000 in all, over the 50,000 budget
            big1.client().send(bytes(1_000, '1'));
            big2.client().send(bytes(1_000, '2'));
        }

        // Shedding one of the two big ones (30,010 bytes) brings 61,030 under 90% of the budget: one is enough.
        Await.until("one big client shed", () -> !big1.client().isOpen() || !big2.client().isOpen());
        Peer shed = big1.client().isOpen() ? big2 : big1;
        Peer kept = shed == big1 ? big2 : big1;
        shed.readPump().join(Await.PATIENCE);
        assertThat(handler.closed(shed.client()).reason()).isEqualTo(DisconnectReason.MEMORY_BUDGET);
        assertThat(shed.connection().closedWith()).as("its close attempted, then the cut").isNull();
        assertThat(shed.connection().isAborted()).isTrue();
        Await.until("under budget again", () -> !hub.isOverMemoryBudget());
        assertThat(hub.metrics().dropped(DisconnectReason.MEMORY_BUDGET)).isEqualTo(1);
        assertThat(kept.client().isOpen()).isTrue();
        for (Peer peer : small) {
            assertThat(peer.client().isOpen()).as("holding little, kept").isTrue();
        }
        Await.until("the shed client's bytes released", () -> hub.metrics().queuedBytes() == 1_010 + 30_010);
    }
}
