package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatengine.engine.transport.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FrameEncoderTest {

    @ParameterizedTest(name = "length {0}: header {1}")
    @CsvSource({
        "0, 8200",                    // 7-bit length 0
        "125, 827d",                  // largest 7-bit length
        "126, 827e007e",              // smallest 16-bit length
        "65535, 827effff",            // largest 16-bit length
        "65536, 827f0000000000010000", // smallest 64-bit length
    })
    void lengthsUseTheShortestEncoding(int length, String header) {
        byte[] frame = FrameEncoder.serverFrame(Opcode.BINARY, new byte[length]);
        byte[] expected = hex(header);
        assertThat(Arrays.copyOf(frame, expected.length)).isEqualTo(expected);
        assertThat(frame).hasSize(expected.length + length);
    }

    @Test
    void encodeHeaderIntoACallersBuffer() {
        byte[] buffer = new byte[20];
        int written = FrameEncoder.encodeHeader(buffer, 3, false, Opcode.TEXT, 300, true, 0x01020304);
        assertThat(written).isEqualTo(8);
        assertThat(Arrays.copyOfRange(buffer, 3, 11)).isEqualTo(hex("01 fe 012c 01020304"));
        assertThatThrownBy(() -> FrameEncoder.encodeHeader(new byte[13], 0, true, Opcode.BINARY, 70000, true, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void clientFrameDoesNotModifyThePayload() {
        byte[] payload = "Hello".getBytes(StandardCharsets.US_ASCII);
        FrameEncoder.clientFrame(Opcode.TEXT, payload, 0x37fa213d);
        assertThat(payload).isEqualTo("Hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesFramesWeMustNotSend() {
        assertThatThrownBy(() -> FrameEncoder.pingFrame(new byte[126])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameEncoder.serverFrame(false, Opcode.CLOSE, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameEncoder.serverFrame(Opcode.RESERVED_3, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FrameEncoder.pongFrame(new byte[125])).hasSize(127);
    }

    @Test
    void messageEncoderMakesOneFinalUnmaskedFrame() {
        EncodedMessage text = WebSocketMessageEncoder.INSTANCE.text("Hello");
        assertThat(text.wireBytes()).isEqualTo(hex("81 05 48656c6c6f"));
        EncodedMessage binary = WebSocketMessageEncoder.INSTANCE.binary(new byte[] {1, 2});
        assertThat(binary.wireBytes()).isEqualTo(hex("82 02 0102"));
    }

    @ParameterizedTest
    @EnumSource(Opcode.class)
    void opcodesMapBothWays(Opcode opcode) {
        assertThat(Opcode.of(opcode.code())).isSameAs(opcode);
        int code = opcode.code();
        assertThat(opcode.isControl()).isEqualTo(code >= 8);
        assertThat(opcode.isReserved()).isEqualTo((code >= 3 && code <= 7) || code >= 11);
    }

    @Test
    void opcodeOutOfRange() {
        assertThatThrownBy(() -> Opcode.of(16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Opcode.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
