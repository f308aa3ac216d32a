package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Client#close(int, String)}: validated, reported as APPLICATION with its code, sent after what was queued. */
class ApplicationCloseTest {

    private final RecordingHandler handler = new RecordingHandler();
    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    @ParameterizedTest(name = "code {0} is allowed")
    @ValueSource(ints = {1000, 1001, 1008, 1011, 1012, 1013, 4000, 4001, 4999})
    void allowsTheCodesAnApplicationMaySend(int code) {
        assertThat(new ApplicationClose(code, "why").code()).isEqualTo(code);
    }

    @ParameterizedTest(name = "code {0} is refused")
    @ValueSource(ints = {0, 999, 1002, 1003, 1004, 1005, 1006, 1007, 1009, 1010, 1014, 1015, 2999, 3000, 3999, 5000, 65535, -1})
    void refusesEveryOtherCode(int code) {
        assertThatThrownBy(() -> new ApplicationClose(code, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(code));
    }

    @Test
    void aReasonOf123Utf8BytesFitsAnd124DoNot() {
        assertThat(new ApplicationClose(4000, "a".repeat(123)).reason()).hasSize(123);
        assertThatThrownBy(() -> new ApplicationClose(4000, "a".repeat(124))).isInstanceOf(IllegalArgumentException.class);
        // 41 three-byte characters are 123 bytes; one more two-byte character is over.
        assertThat(new ApplicationClose(4000, "€".repeat(41)).reason()).hasSize(41);
        assertThatThrownBy(() -> new ApplicationClose(4000, "€".repeat(41) + "é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientClosedByTheApplicationIsReportedWithItsCodeAfterWhatWasQueuedWentOut() throws Exception {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer peer = testHub.connect();
        peer.connection().blockWrites();
        peer.client().send(IdentityEncoder.INSTANCE.text("first"));
        peer.connection().await("write pump blocked", Await.PATIENCE, c -> c.isWriteBlocked());
        peer.client().send(IdentityEncoder.INSTANCE.text("second"));

        peer.client().close(4001, "kicked by moderator");
        assertThatThrownBy(() -> peer.client().close(4002, "x".repeat(200))).isInstanceOf(IllegalArgumentException.class);
        peer.client().close(1000, "too late"); // the first close wins
        peer.connection().unblockWrites();

        peer.readPump().join(Await.PATIENCE);
        assertThat(peer.connection().received()).containsExactly("first", "second");
        assertThat(peer.connection().applicationClose()).isEqualTo(new ApplicationClose(4001, "kicked by moderator"));
        assertThat(handler.closed(peer.client()).reason()).isEqualTo(DisconnectReason.APPLICATION);
        assertThat(peer.client().closeReason()).isEqualTo(DisconnectReason.APPLICATION);
        assertThat(peer.client().applicationClose()).contains(new ApplicationClose(4001, "kicked by moderator"));
        assertThat(testHub.hub().metrics().droppedTotal()).isZero();
    }

    @Test
    void aClientClosedForAnotherReasonHasNoApplicationClose() throws Exception {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer peer = testHub.connect();
        peer.client().close(DisconnectReason.SHUTDOWN);
        peer.client().close(4000, "replaced"); // too late: already closing
        peer.readPump().join(Await.PATIENCE);
        assertThat(peer.client().closeReason()).isEqualTo(DisconnectReason.SHUTDOWN);
        assertThat(peer.client().applicationClose()).isEmpty();
        assertThat(peer.connection().closedWith()).isEqualTo(DisconnectReason.SHUTDOWN);
    }
}
