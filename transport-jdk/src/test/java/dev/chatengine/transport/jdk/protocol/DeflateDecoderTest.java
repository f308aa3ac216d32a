package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.binary;
import static dev.chatengine.transport.jdk.protocol.Wire.concat;
import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static dev.chatengine.transport.jdk.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading permessage-deflate messages (RFC 7692): the examples of section 7.2.3 byte for byte,
 * fragmentation, context takeover on and off, the RSV1 rules, and the inflate bomb.
 */
class DeflateDecoderTest {
    private static final int LIMIT = 1 << 17;
    private static final DeflateParameters NO_TAKEOVER = DeflateParameters.noContextTakeover();
    private static final DeflateParameters BOTH_TAKEOVER = new DeflateParameters(false, false, 15, 15);
    private final Random masks = new Random(0);

    private static WebSocketDecoder decoder(Role role, DeflateParameters parameters) {
        return decoder(role, parameters, LIMIT);
    }

    private static WebSocketDecoder decoder(Role role, DeflateParameters parameters, int limit) {
        return new WebSocketDecoder(role, limit, Optional.of(parameters));
    }

    private static List<ReadEvent> decode(WebSocketDecoder decoder, byte[] wire) throws ProtocolException {
        return Wire.decode(decoder, wire, 4096);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a sender puts in a compressed message: DEFLATE, sync-flushed, the 00 00 ff ff tail stripped. */
    static byte[] deflate(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        byte[] out = new byte[data.length + data.length / 100 + 64];
        int n = 0;
        while (true) {
            n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        assertThat(Arrays.copyOfRange(out, n - 4, n)).isEqualTo(MessageInflater.TAIL);
        return Arrays.copyOf(out, n - 4);
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return deflate(deflater, data);
        } finally {
            deflater.end();
        }
    }

    private byte[] clientFrame(boolean fin, boolean rsv1, Opcode opcode, byte[] payload) {
        return FrameEncoder.frame(fin, rsv1, opcode, payload, true, masks.nextInt());
    }

    private static void assertFails(ThrowingCallable decoding, int code, String reason) {
        assertThatThrownBy(decoding).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeStatus()).isEqualTo(new CloseStatus(code, reason)));
    }

    private static void assertFails(ThrowingCallable decoding, int code) {
        assertThatThrownBy(decoding).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeStatus().code()).isEqualTo(code));
    }

    // ---- RFC 7692 section 7.2.3, read as a client reads the server's unmasked frames

    @Test
    void rfc7692HelloInOneCompressedBlock() throws ProtocolException {
        byte[] wire = hex("c1 07 f2 48 cd c9 c9 07 00"); // 7.2.3.1: FIN+RSV1 text, 7 bytes, "Hello" in a fixed-Huffman block
        assertThat(decode(decoder(Role.CLIENT, NO_TAKEOVER), wire)).containsExactly(text("Hello"));
        assertThat(Wire.decodeByteByByte(decoder(Role.CLIENT, NO_TAKEOVER), wire)).containsExactly(text("Hello"));
    }

    @Test
    void rfc7692HelloFragmented() throws ProtocolException {
        byte[] wire = concat(hex("41 03 f2 48 cd"),     // 7.2.3.1: RSV1 text, not final, first 3 compressed bytes
                hex("80 04 c9 c9 07 00"));              //          final continuation, no RSV1, the other 4
        assertThat(Wire.decodeByteByByte(decoder(Role.CLIENT, NO_TAKEOVER), wire)).containsExactly(text("Hello"));
    }

    @Test
    void rfc7692SharedSlidingWindow() throws ProtocolException {
        byte[] wire = concat(hex("c1 07 f2 48 cd c9 c9 07 00"), // 7.2.3.2: "Hello"
                hex("c1 05 f2 00 11 00 00"));                    //          "Hello" again, a back-reference into the first
        DeflateParameters serverKeepsWindow = new DeflateParameters(false, true, 15, 15);
        assertThat(decode(decoder(Role.CLIENT, serverKeepsWindow), wire)).containsExactly(text("Hello"), text("Hello"));
        // Without context takeover the window is gone: the back-reference reaches nothing.
        assertFails(() -> decode(decoder(Role.CLIENT, NO_TAKEOVER), wire), CloseStatus.INVALID_PAYLOAD);
    }

    @Test
    void rfc7692BlockWithNoCompression() throws ProtocolException {
        byte[] wire = hex("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00"); // 7.2.3.3: stored block LEN=5 NLEN, "Hello", then 00
        assertThat(decode(decoder(Role.CLIENT, NO_TAKEOVER), wire)).containsExactly(text("Hello"));
    }

    @ParameterizedTest(name = "context takeover {0}")
    @ValueSource(booleans = {false, true})
    void rfc7692BlockWithBfinalSet(boolean takeover) throws ProtocolException {
        byte[] bfinal = hex("c1 08 f3 48 cd c9 c9 07 00 00"); // 7.2.3.4: "Hello" in a BFINAL=1 block, then an empty stored-block header
        byte[] next = hex("c1 07 f2 48 cd c9 c9 07 00");       // a later message still inflates
        WebSocketDecoder decoder = decoder(Role.CLIENT, takeover ? BOTH_TAKEOVER : NO_TAKEOVER);
        assertThat(decode(decoder, concat(bfinal, next, bfinal, next)))
                .containsExactly(text("Hello"), text("Hello"), text("Hello"), text("Hello"));
    }

    @Test
    void rfc7692TwoDeflateBlocksInOneMessage() throws ProtocolException {
        byte[] wire = hex("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00"); // 7.2.3.5: "He", empty stored block, "llo"
        assertThat(decode(decoder(Role.CLIENT, NO_TAKEOVER), wire)).containsExactly(text("Hello"));
    }

    @Test
    void blocksAfterAFinalBlockMayReferToWhatItProduced() throws ProtocolException {
        Deflater first = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        first.setInput(utf8("Hello, world. "));
        first.finish();
        byte[] finalBlock = new byte[64];
        int n = first.deflate(finalBlock);
        first.end();
        Deflater second = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        second.setDictionary(utf8("Hello, world. "));
        byte[] rest = deflate(second, utf8("Hello, world. Hello, world. "));
        second.end();
        byte[] payload = concat(Arrays.copyOf(finalBlock, n), rest);
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER), clientFrame(true, true, Opcode.TEXT, payload)))
                .containsExactly(text("Hello, world. Hello, world. Hello, world. "));
    }

    // ---- client messages, masked, of every shape

    @ParameterizedTest(name = "{0} bytes, in 1 and 3 frames, split everywhere")
    @ValueSource(ints = {0, 1, 5, 125, 126, 1000, 20_000, 100_000})
    void compressedClientMessagesRoundTrip(int length) throws ProtocolException {
        byte[] data = chatLike(length);
        byte[] compressed = deflate(data);
        byte[] single = clientFrame(true, true, Opcode.BINARY, compressed);
        int a = compressed.length / 3;
        int b = 2 * compressed.length / 3;
        byte[] fragmented = concat(
                clientFrame(false, true, Opcode.BINARY, Arrays.copyOfRange(compressed, 0, a)),
                clientFrame(false, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, a, b)),
                clientFrame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, b, compressed.length)));
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER), single)).containsExactly(binary(data));
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER), fragmented)).containsExactly(binary(data));
        assertThat(Wire.decode(decoder(Role.SERVER, NO_TAKEOVER), fragmented, WebSocketDecoder.MIN_BUFFER_BYTES))
                .containsExactly(binary(data));
        if (length <= 1000) {
            assertThat(Wire.decodeByteByByte(decoder(Role.SERVER, NO_TAKEOVER), fragmented)).containsExactly(binary(data));
        }
    }

    @Test
    void uncompressedMessagesStillWorkWhenNegotiated() throws ProtocolException {
        byte[] wire = concat(clientFrame(true, false, Opcode.TEXT, utf8("plain")),
                clientFrame(true, true, Opcode.TEXT, deflate(utf8("squeezed"))),
                clientFrame(false, false, Opcode.TEXT, utf8("pl")), clientFrame(true, false, Opcode.CONTINUATION, utf8("ain")));
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER), wire)).containsExactly(text("plain"), text("squeezed"), text("plain"));
    }

    @Test
    void controlFramesBetweenCompressedFragments() throws ProtocolException {
        byte[] compressed = deflate(utf8("between the fragments"));
        byte[] wire = concat(clientFrame(false, true, Opcode.TEXT, Arrays.copyOf(compressed, 4)),
                FrameEncoder.clientFrame(Opcode.PING, utf8("p"), 7),
                clientFrame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, 4, compressed.length)));
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER), wire))
                .containsExactly(new ReadEvent.Ping(utf8("p")), text("between the fragments"));
    }

    // ---- context takeover, the client's direction

    @Test
    void clientContextTakeoverKeepsTheWindowAcrossMessages() throws ProtocolException {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // never reset: the client keeps its window
        String message = "{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"the same words again\"}";
        byte[] first = deflate(client, utf8(message));
        byte[] second = deflate(client, utf8(message));
        client.end();
        assertThat(second.length).isLessThan(first.length / 2); // it refers back into the first message
        byte[] wire = concat(clientFrame(true, true, Opcode.TEXT, first), clientFrame(true, true, Opcode.TEXT, second));

        WebSocketDecoder keeping = decoder(Role.SERVER, new DeflateParameters(true, false, 15, 15));
        assertThat(decode(keeping, wire)).containsExactly(text(message), text(message));
        assertThat(keeping.holdsInflater()).isTrue(); // the connection's own, for its whole life
        keeping.close();
        assertThat(keeping.holdsInflater()).isFalse();

        // Agreed client_no_context_takeover: the server resets, so the client's reference fails.
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), wire), CloseStatus.INVALID_PAYLOAD);
    }

    @Test
    void noInflaterIsHeldBetweenMessagesWithoutContextTakeover() throws ProtocolException {
        WebSocketDecoder decoder = decoder(Role.SERVER, NO_TAKEOVER);
        byte[] compressed = deflate(utf8("one message, in two frames"));
        ByteBuffer buffer = ByteBuffer.wrap(clientFrame(false, true, Opcode.TEXT, Arrays.copyOf(compressed, 5)));
        assertThat(decoder.next(buffer)).isNull();
        assertThat(decoder.holdsInflater()).isTrue(); // borrowed for the message in progress
        buffer = ByteBuffer.wrap(clientFrame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, 5, compressed.length)));
        assertThat(decoder.next(buffer)).isEqualTo(text("one message, in two frames"));
        assertThat(decoder.holdsInflater()).isFalse(); // given back with the message

        assertThat(decoder.next(ByteBuffer.wrap(clientFrame(false, true, Opcode.TEXT, Arrays.copyOf(compressed, 5))))).isNull();
        decoder.close(); // the connection ended mid-message
        assertThat(decoder.holdsInflater()).isFalse();
    }

    // ---- RSV1 rules (RFC 7692 section 6.1)

    @Test
    void compressedControlFrameIsAProtocolError() {
        byte[] ping = FrameEncoder.clientFrame(Opcode.PING, new byte[0], 1);
        ping[0] |= 0x40; // RSV1
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), ping), CloseStatus.PROTOCOL_ERROR,
                "Control frames MUST NOT be compressed (RFC 7692 section 6.1)");
    }

    @Test
    void rsv1OnAContinuationIsAProtocolError() {
        byte[] wire = concat(clientFrame(false, true, Opcode.TEXT, hex("f2 48 cd")), hex("c0 84 00 00 00 00 c9 c9 07 00"));
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), wire), CloseStatus.PROTOCOL_ERROR,
                "RSV1 MUST be set only on the first frame of a message (RFC 7692 section 6.1)");
    }

    @Test
    void rsv1WithoutNegotiationIsAProtocolError() {
        byte[] wire = clientFrame(true, true, Opcode.TEXT, hex("f2 48 cd c9 c9 07 00"));
        assertFails(() -> decode(new WebSocketDecoder(Role.SERVER, LIMIT), wire), CloseStatus.PROTOCOL_ERROR,
                "RSV bits MUST be 0 when no extension is negotiated (RFC 6455 section 5.2)");
    }

    @ParameterizedTest(name = "RSV bits {0}")
    @ValueSource(ints = {0x20, 0x10, 0x60})
    void rsv2AndRsv3StayForbidden(int bits) {
        byte[] frame = clientFrame(true, false, Opcode.TEXT, utf8("x"));
        frame[0] |= (byte) bits;
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), frame), CloseStatus.PROTOCOL_ERROR,
                "RSV2 and RSV3 MUST be 0: no negotiated extension defines them (RFC 6455 section 5.2)");
    }

    // ---- bad data

    @Test
    void invalidDeflateDataIs1007() {
        byte[] wire = clientFrame(true, true, Opcode.TEXT, hex("ff ff ff ff"));
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), wire), CloseStatus.INVALID_PAYLOAD);
    }

    @Test
    void invalidUtf8InsideACompressedTextMessageIs1007() {
        byte[] wire = clientFrame(true, true, Opcode.TEXT, deflate(hex("48 65 c3 28")));
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER), wire), CloseStatus.INVALID_PAYLOAD,
                "Text message MUST be valid UTF-8 (RFC 6455 section 8.1)");
    }

    // ---- the limit applies to the inflated size

    @Test
    void aMessageOfExactlyTheLimitInflates() throws ProtocolException {
        int limit = 10_000;
        byte[] data = chatLike(limit);
        assertThat(decode(decoder(Role.SERVER, NO_TAKEOVER, limit), clientFrame(true, true, Opcode.BINARY, deflate(data))))
                .containsExactly(binary(data));
        byte[] oneMore = chatLike(limit + 1);
        assertFails(() -> decode(decoder(Role.SERVER, NO_TAKEOVER, limit), clientFrame(true, true, Opcode.BINARY, deflate(oneMore))),
                CloseStatus.MESSAGE_TOO_BIG, "Message exceeds the limit of 10000 bytes once inflated (RFC 6455 section 7.4.1)");
    }

    @Test
    void inflateBombFailsAtOnceWithBoundedMemory() {
        int limit = 64 * 1024;
        byte[] bomb = deflate(new byte[16 * 1024 * 1024]); // 16 MiB of zeros
        assertThat(bomb.length).isLessThan(20 * 1024);      // deflates to a few KiB
        byte[] frame = clientFrame(true, true, Opcode.BINARY, bomb);
        WebSocketDecoder decoder = decoder(Role.SERVER, NO_TAKEOVER, limit);
        ByteBuffer in = ByteBuffer.wrap(frame);
        long allocatedBefore = allocatedBytes();

        assertFails(() -> decoder.next(in), CloseStatus.MESSAGE_TOO_BIG);

        long allocated = allocatedBytes() - allocatedBefore;
        assertThat(in.remaining()).as("failed before reading the whole frame").isPositive();
        assertThat(decoder.peakInflatedBufferBytes()).isLessThanOrEqualTo(limit);
        if (allocatedBefore >= 0) {
            assertThat(allocated).as("bytes allocated while inflating").isLessThan(4L * limit);
        }
        assertThat(decoder.holdsInflater()).isFalse(); // given back on the failure
    }

    @Test
    void fragmentedInflateBombFailsToo() {
        int limit = 64 * 1024;
        byte[] bomb = deflate(new byte[16 * 1024 * 1024]);
        byte[] wire = new byte[0];
        for (int at = 0; at < bomb.length; at += 1000) {
            byte[] piece = Arrays.copyOfRange(bomb, at, Math.min(bomb.length, at + 1000));
            boolean first = at == 0;
            boolean last = at + 1000 >= bomb.length;
            wire = concat(wire, clientFrame(last, first, first ? Opcode.BINARY : Opcode.CONTINUATION, piece));
        }
        WebSocketDecoder decoder = decoder(Role.SERVER, NO_TAKEOVER, limit);
        byte[] all = wire;
        assertFails(() -> decode(decoder, all), CloseStatus.MESSAGE_TOO_BIG);
        assertThat(decoder.peakInflatedBufferBytes()).isLessThanOrEqualTo(limit);
    }

    @Test
    void compressedBytesOnTheWireAreBoundedToo() {
        int limit = 1000;
        byte[] frame = clientFrame(true, true, Opcode.BINARY, new byte[FrameValidation.maxCompressedBytes(limit) + 1]);
        assertFails(() -> decoder(Role.SERVER, NO_TAKEOVER, limit).next(ByteBuffer.wrap(frame, 0, 14)),
                CloseStatus.MESSAGE_TOO_BIG); // refused on the header alone
    }

    /** Bytes allocated by this thread so far, or -1 when the JVM cannot tell. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            return threads.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /** Text that compresses as chat does: words, repeated with variation. */
    static byte[] chatLike(int length) {
        String[] words = {"hello", "room", "lobby", "message", "text", "\"type\":", "alice", "bob", "12", "!", " "};
        Random random = new Random(length);
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]);
        }
        return Arrays.copyOf(utf8(text.toString()), length);
    }
}
