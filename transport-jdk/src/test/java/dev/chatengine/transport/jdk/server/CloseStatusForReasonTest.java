package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's disconnect reasons as close frames: {@link WebSocketConnection#closeStatusFor}. */
class CloseStatusForReasonTest {

    @ParameterizedTest(name = "{0} -> {1} \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "NONE", emptyValue = "", value = {
            "PEER_CLOSED      | 1000 | ''",
            "CONNECTION_LOST  | 1000 | ''",
            "PROTOCOL_ERROR   | 1002 | ''",
            "MESSAGE_TOO_BIG  | 1009 | ''",
            "UNSUPPORTED_DATA | 1003 | ''",
            "POLICY           | 1008 | ''",
            "SERVER_ERROR     | 1011 | internal error", // the application failed, not the client
            "SHUTDOWN         | 1001 | going away",
            "SLOW_CONSUMER    | 1008 | slow consumer",
            "WRITE_TIMEOUT    | 1008 | write timeout",
            "IDLE_TIMEOUT     | 1001 | idle timeout",
            "MEMORY_BUDGET    | 1013 | try again later",
            "APPLICATION      | 1000 | ''", // only without its code: Client.close(int, String) sends the code given
    })
    void mapsEachReasonToItsCode(DisconnectReason reason, int code, String text) {
        assertThat(WebSocketConnection.closeStatusFor(reason)).isEqualTo(new CloseStatus(code, text));
    }

    @ParameterizedTest(name = "{0} maps to a code that may be sent")
    @EnumSource(DisconnectReason.class)
    void everyReasonMapsToASendableCode(DisconnectReason reason) {
        assertThat(CloseStatus.isSendable(WebSocketConnection.closeStatusFor(reason).code())).isTrue();
    }
}
