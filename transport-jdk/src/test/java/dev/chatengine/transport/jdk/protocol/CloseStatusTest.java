package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloseStatusTest {

    private static byte[] payload(int code) {
        return new byte[] {(byte) (code >>> 8), (byte) code};
    }

    @ParameterizedTest(name = "{0} received: protocol error, {1}")
    @CsvSource({
        "0, below 1000 (unused)",
        "999, below 1000 (unused)",
        "1004, reserved by RFC 6455",
        "1005, no status: local only, never on the wire",
        "1006, abnormal closure: local only, never on the wire",
        "1015, TLS handshake failure: local only, never on the wire",
        "1016, unassigned in 1016-2999",
        "1100, unassigned in 1016-2999",
        "2000, reserved for extensions in 1016-2999",
        "2999, unassigned in 1016-2999",
        "5000, above the 4999 application range",
        "65535, above the 4999 application range",
    })
    void illegalReceivedCodes(int code, String why) {
        assertThat(CloseStatus.isValidReceived(code)).isFalse();
        assertThat(CloseStatus.isSendable(code)).isFalse();
        assertThatThrownBy(() -> CloseStatus.parse(payload(code)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeStatus()).isEqualTo(
                        new CloseStatus(1002, "Invalid close code " + code + " received (RFC 6455 section 7.4)")));
        // And through the decoder, as a server would meet it.
        byte[] frame = FrameEncoder.clientFrame(Opcode.CLOSE, payload(code), 0x01020304);
        assertThatThrownBy(() -> Wire.decode(new WebSocketDecoder(Role.SERVER, 100), frame, 64))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.closeStatus().code()).isEqualTo(1002));
    }

    @ParameterizedTest(name = "{0} is valid to receive and to send")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void legalCodes(int code) throws ProtocolException {
        assertThat(CloseStatus.isValidReceived(code)).isTrue();
        assertThat(CloseStatus.isSendable(code)).isTrue();
        assertThat(CloseStatus.parse(payload(code))).isEqualTo(new CloseStatus(code, ""));
    }

    @Test
    void emptyPayloadMeansNoStatus() throws ProtocolException {
        assertThat(CloseStatus.parse(new byte[0])).isEqualTo(new CloseStatus(1005, ""));
    }

    @Test
    void oneBytePayloadIsAProtocolError() {
        assertThatThrownBy(() -> CloseStatus.parse(hex("03")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeStatus()).isEqualTo(
                        new CloseStatus(1002, "Close frame payload MUST NOT be 1 byte (RFC 6455 section 5.5.1)")));
    }

    @ParameterizedTest(name = "reason bytes {0}")
    @ValueSource(strings = {"ff", "c3", "eda080", "c0af", "62 79 65 e2 82"})
    void badUtf8ReasonIsInvalidPayload(String reason) {
        assertThatThrownBy(() -> CloseStatus.parse(hex("03e8 " + reason)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeStatus()).isEqualTo(
                        new CloseStatus(1007, "Close reason MUST be valid UTF-8 (RFC 6455 section 5.5.1)")));
    }

    @Test
    void parsesCodeAndReason() throws ProtocolException {
        assertThat(CloseStatus.parse(hex("03e8 627965"))).isEqualTo(new CloseStatus(1000, "bye"));
        assertThat(CloseStatus.parse(hex("0fa0 c3a9"))).isEqualTo(new CloseStatus(4000, "é"));
    }

    @Test
    void payloadRoundTrips() throws ProtocolException {
        CloseStatus status = new CloseStatus(1001, "going away ☺");
        assertThat(CloseStatus.parse(status.toPayload())).isEqualTo(status);
        assertThat(new CloseStatus(1000, "bye").toPayload()).isEqualTo(hex("03e8 627965"));
        assertThat(FrameEncoder.closeFrame(new CloseStatus(1000, "bye"))).isEqualTo(hex("88 05 03e8 627965"));
    }

    @ParameterizedTest(name = "{0} never goes on the wire: empty close payload")
    @ValueSource(ints = {1005, 1006, 1015})
    void localOnlyCodesAreNotSent(int code) {
        assertThat(CloseStatus.isSendable(code)).isFalse();
        assertThat(CloseStatus.of(code).toPayload()).isEmpty();
        assertThat(FrameEncoder.closeFrame(CloseStatus.of(code))).isEqualTo(hex("88 00"));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource({
        "a, 200, ASCII: 123 characters",
        "é, 61, 2-byte characters: 61 (122 bytes), a 62nd would make 124",
        "€, 41, 3-byte characters: 41 (123 bytes)",
        "😀, 30, 4-byte characters: 30 (120 bytes), a 31st would make 124",
    })
    void reasonIsCutOnACharacterBoundary(String character, int expectedCharacters, String label) {
        String reason = character.repeat(200);
        CloseStatus status = new CloseStatus(1000, reason);
        int expected = Math.min(expectedCharacters, 123);
        assertThat(status.reason()).isEqualTo(character.repeat(expected));
        assertThat(status.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(status.toPayload().length).isLessThanOrEqualTo(125);
    }

    @Test
    void reasonCutAtEveryOffsetNeverSplitsACharacter() {
        String characters = "a€é😀";
        for (int prefix = 0; prefix < 8; prefix++) {
            String reason = "x".repeat(prefix) + characters.repeat(40);
            String cut = CloseStatus.truncateReason(reason);
            byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
            assertThat(bytes.length).isBetween(123 - 3, 123);
            assertThat(reason).startsWith(cut);
            assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        }
    }

    @Test
    void nullReasonIsEmptyAndCodeMustFit16Bits() {
        assertThat(new CloseStatus(1000, null).reason()).isEmpty();
        assertThatThrownBy(() -> new CloseStatus(65536, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CloseStatus(-1, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
