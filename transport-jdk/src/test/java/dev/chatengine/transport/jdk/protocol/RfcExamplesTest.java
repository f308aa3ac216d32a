package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.binary;
import static dev.chatengine.transport.jdk.protocol.Wire.concat;
import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static dev.chatengine.transport.jdk.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every example of RFC 6455 section 5.7, both ways, and the handshake example of section 1.3. */
class RfcExamplesTest {
    private static final int LIMIT = 1 << 20;
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final int RFC_MASK_KEY = 0x37fa213d;

    private static final byte[] UNMASKED_HELLO = hex("81 05 48656c6c6f"); // FIN+text, length 5, "Hello"
    private static final byte[] MASKED_HELLO = hex("81 85 37fa213d 7f9f4d5158"); // FIN+text, MASK+5, key, masked "Hello"
    private static final byte[] HEL = hex("01 03 48656c"); // text, no FIN, "Hel"
    private static final byte[] LO = hex("80 02 6c6f"); // FIN+continuation, "lo"
    private static final byte[] UNMASKED_PING = hex("89 05 48656c6c6f"); // FIN+ping, "Hello"
    private static final byte[] MASKED_PONG = hex("8a 85 37fa213d 7f9f4d5158"); // FIN+pong, masked "Hello"
    private static final byte[] HEADER_256 = hex("82 7e 0100"); // FIN+binary, 16-bit length 256
    private static final byte[] HEADER_64K = hex("82 7f 0000000000010000"); // FIN+binary, 64-bit length 65536

    private static List<ReadEvent> asClient(byte[] wire) throws ProtocolException {
        return Wire.decode(new WebSocketDecoder(Role.CLIENT, LIMIT), wire, 1 << 17);
    }

    private static List<ReadEvent> asServer(byte[] wire) throws ProtocolException {
        return Wire.decode(new WebSocketDecoder(Role.SERVER, LIMIT), wire, 1 << 17);
    }

    @Test
    void unmaskedTextIsReadByAClient() throws ProtocolException {
        assertThat(asClient(UNMASKED_HELLO)).containsExactly(text("Hello"));
        assertThat(FrameEncoder.serverFrame(Opcode.TEXT, HELLO)).isEqualTo(UNMASKED_HELLO);
    }

    @Test
    void unmaskedFramesAreRejectedByAServer() {
        for (byte[] unmasked : List.of(UNMASKED_HELLO, HEL, UNMASKED_PING, concat(HEADER_256, new byte[256]))) {
            assertThatThrownBy(() -> asServer(unmasked))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeStatus())
                            .isEqualTo(new CloseStatus(1002, "Client MUST mask all frames (RFC 6455 section 5.1)")));
        }
    }

    @Test
    void maskedTextIsReadByAServerAndRejectedByAClient() throws ProtocolException {
        assertThat(asServer(MASKED_HELLO)).containsExactly(text("Hello"));
        assertThat(FrameEncoder.clientFrame(Opcode.TEXT, HELLO, RFC_MASK_KEY)).isEqualTo(MASKED_HELLO);
        assertThatThrownBy(() -> asClient(MASKED_HELLO))
                .hasMessage("Server MUST NOT mask any frames (RFC 6455 section 5.1)");
    }

    @Test
    void fragmentedUnmaskedText() throws ProtocolException {
        assertThat(asClient(concat(HEL, LO))).containsExactly(text("Hello"));
        assertThat(FrameEncoder.serverFrame(false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(HEL);
        assertThat(FrameEncoder.serverFrame(true, Opcode.CONTINUATION, "lo".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(LO);
    }

    @Test
    void unmaskedPingAndMaskedPong() throws ProtocolException {
        assertThat(asClient(UNMASKED_PING)).containsExactly(new ReadEvent.Ping(HELLO));
        assertThat(FrameEncoder.pingFrame(HELLO)).isEqualTo(UNMASKED_PING);
        assertThat(asServer(MASKED_PONG)).containsExactly(new ReadEvent.Pong(HELLO));
        assertThat(FrameEncoder.clientFrame(Opcode.PONG, HELLO, RFC_MASK_KEY)).isEqualTo(MASKED_PONG);
    }

    @Test
    void binary256BytesUses16BitLength() throws ProtocolException {
        byte[] data = pattern(256);
        byte[] frame = FrameEncoder.serverFrame(Opcode.BINARY, data);
        assertThat(Arrays.copyOf(frame, 4)).isEqualTo(HEADER_256);
        assertThat(frame).hasSize(4 + 256);
        assertThat(asClient(concat(HEADER_256, data))).containsExactly(binary(data));
    }

    @Test
    void binary64KiBUses64BitLength() throws ProtocolException {
        byte[] data = pattern(65536);
        byte[] frame = FrameEncoder.serverFrame(Opcode.BINARY, data);
        assertThat(Arrays.copyOf(frame, 10)).isEqualTo(HEADER_64K);
        assertThat(frame).hasSize(10 + 65536);
        assertThat(asClient(concat(HEADER_64K, data))).containsExactly(binary(data));
    }

    @Test
    void handshakeExampleOfSection1_3() {
        assertThat(Handshake.isValidKey("dGhlIHNhbXBsZSBub25jZQ==")).isTrue(); // base64 of "the sample nonce"
        assertThat(Handshake.acceptValue("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }
}
