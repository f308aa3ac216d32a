package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How the engine's disconnect reasons become close frames. */
class CloseCodeMappingTest {

    @ParameterizedTest(name = "{0} -> {1} \"{2}\"")
    @CsvSource(nullValues = "NONE", value = {
            "SLOW_CONSUMER,    1008, slow consumer",
            "WRITE_TIMEOUT,    1008, write timeout",
            "IDLE_TIMEOUT,     1001, idle timeout",
            "SHUTDOWN,         1001, going away",
            "POLICY,           1008, ''",
            "UNSUPPORTED_DATA, 1003, ''",
            "PROTOCOL_ERROR,   1002, ''",
            "MESSAGE_TOO_BIG,  1009, ''",
            "PEER_CLOSED,      1000, ''",
            "CONNECTION_LOST,  1000, ''",
    })
    void mapsEachReason(DisconnectReason reason, int code, String text) {
        assertThat(WebSocketConnection.closeStatusFor(reason)).isEqualTo(new CloseStatus(code, text));
    }

    @ParameterizedTest
    @EnumSource(DisconnectReason.class)
    void neverMapsToACodeThatMustNotGoOnTheWire(DisconnectReason reason) { // 1005, 1006, 1015
        assertThat(CloseStatus.isSendable(WebSocketConnection.closeStatusFor(reason).code())).isTrue();
    }
}
