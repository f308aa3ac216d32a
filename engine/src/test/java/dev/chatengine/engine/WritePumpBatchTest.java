package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write pump's batch array starts small ({@value WritePump#INITIAL_BATCH_MESSAGES} slots, so an
 * idle client holds little) and grows with the backlog: a backlog still goes out in batches of up to
 * {@link HubConfig#maxBatchMessages()}, in order.
 */
class WritePumpBatchTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private final RecordingHandler handler = new RecordingHandler();
    private TestHub testHub;

    @AfterEach
    void closeHub() {
        if (testHub != null) {
            testHub.close();
        }
    }

    @Test
    void theArrayGrowsPastItsFirstLengthToTakeTheWholeBacklog() {
        assertBatches(64, 40, 1, 40);
    }

    @Test
    void neverPastMaxBatchMessages() {
        assertBatches(16, 40, 1, 16, 16, 8);
    }

    @Test
    void aLimitBelowTheFirstArraysLength() {
        assertBatches(4, 10, 1, 4, 4, 2);
    }

    @Test
    void aSmallBacklogFitsTheFirstArray() {
        assertBatches(64, 5, 1, 5);
    }

    /** One message blocks the pump in a write; {@code backlog} more queue up behind it; then the write is let go. */
    private void assertBatches(int maxBatchMessages, int backlog, Integer... expectedBatches) {
        testHub = new TestHub(HubConfig.builder().maxBatchMessages(maxBatchMessages).build(), handler);
        Room room = testHub.hub().room("r");
        Peer slow = testHub.connect();
        room.join(slow.client());
        slow.connection().blockWrites();
        room.broadcast(ENCODER.text("m0"));
        slow.connection().await("write pump blocked in a write", Await.PATIENCE, c -> c.isWriteBlocked());
        for (int i = 1; i <= backlog; i++) {
            room.broadcast(ENCODER.text("m" + i));
        }
        assertThat(slow.client().queuedMessages()).isEqualTo(backlog);
        slow.connection().unblockWrites();

        List<String> expected = IntStream.rangeClosed(0, backlog).mapToObj(i -> "m" + i).toList();
        assertThat(slow.connection().awaitReceived(backlog + 1, Await.PATIENCE)).isEqualTo(expected);
        assertThat(slow.connection().batchSizes()).containsExactly(expectedBatches);
    }
}
