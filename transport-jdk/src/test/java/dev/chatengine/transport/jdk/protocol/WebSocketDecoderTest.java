package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.binary;
import static dev.chatengine.transport.jdk.protocol.Wire.concat;
import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static dev.chatengine.transport.jdk.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoder as a server reading masked client frames, unless a test says otherwise. */
class WebSocketDecoderTest {
    private static final int LIMIT = 1 << 17;
    /** Mask keys come from a seeded source so that every run encodes the same bytes. */
    private final Random masks = new Random(0);

    private byte[] client(Opcode opcode, byte[] payload) {
        return FrameEncoder.clientFrame(opcode, payload, masks.nextInt());
    }

    private byte[] client(boolean fin, Opcode opcode, String text) {
        return FrameEncoder.clientFrame(fin, opcode, utf8(text), masks.nextInt());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ReadEvent> serverDecodes(byte[] wire) throws ProtocolException {
        return Wire.decode(new WebSocketDecoder(Role.SERVER, LIMIT), wire, WebSocketDecoder.bufferCapacityFor(LIMIT));
    }

    private static void assertFails(ThrowingCallable decoding, int code, String reason) {
        assertThatThrownBy(decoding).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeStatus()).isEqualTo(new CloseStatus(code, reason)));
    }

    private static void assertFails(ThrowingCallable decoding, int code) {
        assertThatThrownBy(decoding).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeStatus().code()).isEqualTo(code));
    }

    // ---- lengths and header sizes

    @ParameterizedTest(name = "payload of {0} bytes: client header {1} bytes, server header {2} bytes")
    @CsvSource({"0, 6, 2", "1, 6, 2", "125, 6, 2", "126, 8, 4", "127, 8, 4", "128, 8, 4",
                "65535, 8, 4", "65536, 14, 10"})
    void lengthsRoundTrip(int length, int clientHeader, int serverHeader) throws ProtocolException {
        byte[] data = RfcExamplesTest.pattern(length);
        byte[] clientFrame = client(Opcode.BINARY, data);
        byte[] serverFrame = FrameEncoder.serverFrame(Opcode.BINARY, data);
        assertThat(clientFrame).hasSize(clientHeader + length);
        assertThat(serverFrame).hasSize(serverHeader + length);
        assertThat(FrameEncoder.headerLength(length, true)).isEqualTo(clientHeader);
        assertThat(serverDecodes(clientFrame)).containsExactly(binary(data));
        assertThat(Wire.decode(new WebSocketDecoder(Role.CLIENT, LIMIT), serverFrame, 4096))
                .containsExactly(binary(data));
    }

    @Test
    void nonMinimalLengthEncodingsAreAccepted() throws ProtocolException {
        // RFC 6455 section 5.2 requires the minimal encoding of a length only of the sender. We accept
        // longer ones, as Jetty and OkHttp do: they cost nothing and refusing them protects nothing.
        byte[] sixteenBit = hex("81 fe 0005 00000000 48656c6c6f"); // "Hello" with a 16-bit length, zero mask
        byte[] sixtyFourBit = hex("81 ff 0000000000000005 00000000 48656c6c6f"); // and with a 64-bit length
        assertThat(serverDecodes(concat(sixteenBit, sixtyFourBit))).containsExactly(text("Hello"), text("Hello"));
    }

    @Test
    void sixtyFourBitLengthWithTopBitSetIsAProtocolError() {
        byte[] header = hex("82 ff 8000000000000000 00000000");
        assertFails(() -> serverDecodes(header), 1002,
                "Payload length MUST have its most significant bit 0 (RFC 6455 section 5.2)");
    }

    @Test
    void aMessageExactlyAtTheLimitIsAccepted() throws ProtocolException {
        byte[] data = RfcExamplesTest.pattern(100);
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, 100);
        byte[] wire = concat(FrameEncoder.clientFrame(false, Opcode.BINARY, new byte[0], 1),
                FrameEncoder.clientFrame(false, Opcode.CONTINUATION, java.util.Arrays.copyOf(data, 60), 2),
                FrameEncoder.clientFrame(true, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(data, 60, 100), 3),
                client(Opcode.BINARY, data));
        assertThat(Wire.decode(decoder, wire, 64)).containsExactly(binary(data), binary(data));
    }

    // ---- splits

    /** A conversation with every kind of frame, including control frames inside a fragmented message. */
    private byte[] conversation() {
        return concat(
                client(true, Opcode.TEXT, "Hello"),
                client(false, Opcode.TEXT, "héllo "),
                FrameEncoder.clientFrame(Opcode.PING, utf8("are you there"), masks.nextInt()),
                client(false, Opcode.CONTINUATION, "wörld €"),
                FrameEncoder.clientFrame(Opcode.PONG, new byte[0], masks.nextInt()),
                client(true, Opcode.CONTINUATION, " 𝄞!"),
                client(Opcode.BINARY, RfcExamplesTest.pattern(300)),
                client(true, Opcode.TEXT, ""),
                FrameEncoder.clientFrame(Opcode.CLOSE, CloseStatus.of(1000).toPayload(), masks.nextInt()));
    }

    private static final List<ReadEvent> CONVERSATION = List.of(
            text("Hello"),
            new ReadEvent.Ping(utf8("are you there")),
            new ReadEvent.Pong(new byte[0]),
            text("héllo wörld € 𝄞!"),
            binary(RfcExamplesTest.pattern(300)),
            text(""),
            new ReadEvent.Close(CloseStatus.of(1000)));

    @Test
    void wholeConversationAtOnce() throws ProtocolException {
        assertThat(serverDecodes(conversation())).isEqualTo(CONVERSATION);
    }

    @Test
    void oneByteAtATime() throws ProtocolException {
        assertThat(Wire.decodeByteByByte(new WebSocketDecoder(Role.SERVER, LIMIT), conversation()))
                .isEqualTo(CONVERSATION);
    }

    @Test
    void splitAtEveryPoint() throws ProtocolException {
        byte[] wire = conversation();
        for (int split = 0; split <= wire.length; split++) {
            for (int capacity : new int[] {WebSocketDecoder.MIN_BUFFER_BYTES, 100, 4096}) {
                assertThat(Wire.decode(new WebSocketDecoder(Role.SERVER, LIMIT), wire, capacity, split))
                        .as("split at %d, buffer of %d bytes", split, capacity)
                        .isEqualTo(CONVERSATION);
            }
        }
    }

    @Test
    void everyTwoPointSplitOfAFragmentedMessageWithAPing() throws ProtocolException {
        byte[] wire = concat(client(false, Opcode.TEXT, "Hé"), FrameEncoder.clientFrame(Opcode.PING, utf8("p"), 7),
                client(true, Opcode.CONTINUATION, "llo"));
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                assertThat(Wire.decode(new WebSocketDecoder(Role.SERVER, LIMIT), wire, 16, first, second))
                        .as("split at %d and %d", first, second)
                        .containsExactly(new ReadEvent.Ping(utf8("p")), text("Héllo"));
            }
        }
    }

    @Test
    void incompleteHeaderIsLeftInTheBuffer() throws ProtocolException {
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, LIMIT);
        byte[] frame = client(Opcode.BINARY, new byte[200]); // 8-byte header
        ByteBuffer buffer = ByteBuffer.wrap(frame, 0, 7);
        assertThat(decoder.next(buffer)).isNull();
        assertThat(buffer.position()).isZero();
        buffer = ByteBuffer.wrap(frame, 0, 100);
        assertThat(decoder.next(buffer)).isNull();
        assertThat(buffer.hasRemaining()).as("payload is copied out as it arrives").isFalse();
        assertThat(decoder.next(ByteBuffer.wrap(frame, 100, frame.length - 100))).isEqualTo(binary(new byte[200]));
    }

    @Test
    void bufferCapacity() {
        assertThat(WebSocketDecoder.bufferCapacityFor(0)).isEqualTo(14);
        assertThat(WebSocketDecoder.bufferCapacityFor(1000)).isEqualTo(1014);
        assertThat(WebSocketDecoder.bufferCapacityFor(Integer.MAX_VALUE))
                .isEqualTo(WebSocketDecoder.MAX_SUGGESTED_BUFFER_BYTES);
    }

    // ---- fragmentation

    @Test
    void controlFramesInterleaveAndComeOutFirst() throws ProtocolException {
        byte[] wire = concat(client(false, Opcode.TEXT, "Hel"),
                FrameEncoder.clientFrame(Opcode.PING, utf8("1"), 1),
                FrameEncoder.clientFrame(Opcode.CLOSE, new byte[0], 2),
                client(true, Opcode.CONTINUATION, "lo"));
        assertThat(serverDecodes(wire)).containsExactly(new ReadEvent.Ping(utf8("1")),
                new ReadEvent.Close(CloseStatus.of(1005)), text("Hello"));
    }

    @Test
    void emptyFragmentsMakeAnEmptyBinaryMessage() throws ProtocolException {
        byte[] wire = concat(client(false, Opcode.BINARY, ""), client(false, Opcode.CONTINUATION, ""),
                client(true, Opcode.CONTINUATION, ""));
        assertThat(serverDecodes(wire)).containsExactly(binary(new byte[0]));
    }

    @Test
    void continuationWithoutAStartedMessage() {
        assertFails(() -> serverDecodes(client(true, Opcode.CONTINUATION, "x")), 1002,
                "Continuation frame without a message to continue (RFC 6455 section 5.4)");
        byte[] afterFinished = concat(client(false, Opcode.TEXT, "a"), client(true, Opcode.CONTINUATION, "b"),
                client(true, Opcode.CONTINUATION, "c"));
        assertFails(() -> serverDecodes(afterFinished), 1002);
    }

    @ParameterizedTest(name = "{0} while a fragmented message is in progress")
    @ValueSource(strings = {"TEXT", "BINARY"})
    void newDataFrameDuringAFragmentedMessage(Opcode opcode) {
        byte[] wire = concat(client(false, Opcode.TEXT, "Hel"), client(true, opcode, "lo"));
        assertFails(() -> serverDecodes(wire), 1002,
                "New data frame while a fragmented message is in progress (RFC 6455 section 5.4)");
    }

    // ---- frame rules

    @Test
    void controlFrameTooLong() {
        byte[] ping = client(Opcode.BINARY, new byte[126]);
        ping[0] = (byte) 0x89; // FIN + ping, the encoder refuses to make one this long
        assertFails(() -> serverDecodes(ping), 1002,
                "Control frame payload MUST be 125 bytes or less (RFC 6455 section 5.5)");
        assertThat(serverDecodes125BytePing()).containsExactly(new ReadEvent.Ping(new byte[125]));
    }

    private List<ReadEvent> serverDecodes125BytePing() {
        try {
            return serverDecodes(client(Opcode.PING, new byte[125]));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "fragmented {0}")
    @ValueSource(strings = {"CLOSE", "PING", "PONG"})
    void fragmentedControlFrame(Opcode opcode) {
        byte[] frame = hex("00 80 00000000");
        frame[0] = (byte) opcode.code(); // FIN clear
        assertFails(() -> serverDecodes(frame), 1002,
                "Control frames MUST NOT be fragmented (RFC 6455 section 5.5)");
    }

    @ParameterizedTest(name = "reserved opcode 0x{0}")
    @ValueSource(strings = {"3", "4", "5", "6", "7", "B", "C", "D", "E", "F"})
    void reservedOpcodes(String code) {
        byte[] frame = hex("8" + code + " 80 00000000"); // FIN + opcode, masked, empty
        assertFails(() -> serverDecodes(frame), 1002,
                "Reserved opcode 0x" + code + " MUST NOT be used (RFC 6455 section 5.2)");
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"c1", "a1", "91", "f1", "c2", "c8"}) // RSV1, RSV2, RSV3, all, on binary, on close
    void rsvBitsWithoutAnExtension(String firstByte) {
        byte[] frame = hex(firstByte + " 80 00000000");
        assertFails(() -> serverDecodes(frame), 1002,
                "RSV bits MUST be 0 when no extension is negotiated (RFC 6455 section 5.2)");
    }

    @Test
    void unmaskedClientFrame() {
        assertFails(() -> serverDecodes(FrameEncoder.serverFrame(Opcode.TEXT, utf8("hi"))), 1002,
                "Client MUST mask all frames (RFC 6455 section 5.1)");
    }

    // ---- size limit: refused from the header, before any payload is there

    @Test
    void oversizeSingleFrameIsRefusedFromItsHeader() {
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, 1000);
        // FIN+binary, masked, 64-bit length 2^40, mask key; no payload follows.
        ByteBuffer header = ByteBuffer.wrap(hex("82 ff 0000010000000000 01020304"));
        assertFails(() -> decoder.next(header), 1009, "Message exceeds the limit of 1000 bytes (RFC 6455 section 7.4.1)");

        ByteBuffer justOver = ByteBuffer.wrap(hex("82 fe 03e9 01020304")); // length 1001
        assertFails(() -> new WebSocketDecoder(Role.SERVER, 1000).next(justOver), 1009);
    }

    @Test
    void oversizeAcrossFragmentsIsRefusedFromTheHeaderThatCrossesTheLimit() throws ProtocolException {
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, 10);
        ByteBuffer first = ByteBuffer.wrap(FrameEncoder.clientFrame(false, Opcode.TEXT, utf8("123456"), 5));
        assertThat(decoder.next(first)).isNull();
        assertThat(first.hasRemaining()).isFalse();
        ByteBuffer second = ByteBuffer.wrap(hex("80 85 01020304")); // FIN+continuation of 5 bytes, none here
        assertFails(() -> decoder.next(second), 1009, "Message exceeds the limit of 10 bytes (RFC 6455 section 7.4.1)");
    }

    @Test
    void controlFramesDoNotCountTowardsTheLimit() throws ProtocolException {
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, 4);
        byte[] wire = concat(client(false, Opcode.TEXT, "ab"), client(Opcode.PING, new byte[100]),
                client(true, Opcode.CONTINUATION, "cd"));
        assertThat(Wire.decode(decoder, wire, 200)).containsExactly(new ReadEvent.Ping(new byte[100]), text("abcd"));
    }

    // ---- close frames through the decoder

    @Test
    void closeFrames() throws ProtocolException {
        assertThat(serverDecodes(client(Opcode.CLOSE, new byte[0])))
                .containsExactly(new ReadEvent.Close(new CloseStatus(1005, "")));
        assertThat(serverDecodes(client(Opcode.CLOSE, new CloseStatus(4000, "bye ☺").toPayload())))
                .containsExactly(new ReadEvent.Close(new CloseStatus(4000, "bye ☺")));
        assertFails(() -> serverDecodes(client(Opcode.CLOSE, hex("03"))), 1002);
        assertFails(() -> serverDecodes(client(Opcode.CLOSE, hex("03e8 ff"))), 1007);
        assertFails(() -> serverDecodes(client(Opcode.CLOSE, hex("03ed"))), 1002, // 1005 on the wire
                "Invalid close code 1005 received (RFC 6455 section 7.4)");
    }

    // ---- UTF-8 in text messages

    @ParameterizedTest(name = "{1}")
    @CsvSource({"c3a9, 2-byte é", "e282ac, 3-byte €", "f09d849e, 4-byte G clef"})
    void multiByteCharacterSplitAcrossFragmentsAtEveryByte(String character, String label) throws ProtocolException {
        byte[] message = concat(utf8("a"), hex(character), utf8("b"));
        for (int cut = 0; cut <= message.length; cut++) {
            byte[] wire = concat(
                    FrameEncoder.clientFrame(false, Opcode.TEXT, java.util.Arrays.copyOf(message, cut), cut),
                    FrameEncoder.clientFrame(true, Opcode.CONTINUATION,
                            java.util.Arrays.copyOfRange(message, cut, message.length), ~cut));
            assertThat(serverDecodes(wire)).as("cut at %d", cut)
                    .containsExactly(new ReadEvent.Message(true, message));
        }
        // And each byte in a fragment of its own.
        byte[][] frames = new byte[message.length][];
        for (int i = 0; i < message.length; i++) {
            frames[i] = FrameEncoder.clientFrame(i == message.length - 1, i == 0 ? Opcode.TEXT : Opcode.CONTINUATION,
                    new byte[] {message[i]}, i * 0x01010101);
        }
        assertThat(serverDecodes(concat(frames))).containsExactly(new ReadEvent.Message(true, message));
    }

    @Test
    void invalidUtf8FailsOnTheByteThatBreaksIt() {
        // "ab" then "c" + 0xC3 (a lead byte, still fine) + 'x' (cannot follow it): fails on 'x',
        // before the rest of that fragment and before the final fragment arrive.
        byte[] first = FrameEncoder.clientFrame(false, Opcode.TEXT, utf8("ab"), 0x11223344);
        byte[] second = FrameEncoder.clientFrame(false, Opcode.CONTINUATION, hex("63 c3 78 64 65"), 0x55667788);
        byte[] third = FrameEncoder.clientFrame(true, Opcode.CONTINUATION, utf8("fine"), 0x99aabbcc);
        byte[] wire = concat(first, second, third);
        int badByteIndex = first.length + 6 + 2; // second frame's header is 6 bytes, 'x' is its payload[2]
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, LIMIT);
        ByteBuffer buffer = ByteBuffer.allocate(WebSocketDecoder.MIN_BUFFER_BYTES);
        for (int i = 0; i < wire.length; i++) {
            buffer.put(wire[i]).flip();
            try {
                assertThat(decoder.next(buffer)).isNull();
            } catch (ProtocolException e) {
                assertThat(i).as("index of the byte that failed").isEqualTo(badByteIndex);
                assertThat(e.closeStatus()).isEqualTo(
                        new CloseStatus(1007, "Text message MUST be valid UTF-8 (RFC 6455 section 8.1)"));
                return;
            }
            buffer.compact();
        }
        throw new AssertionError("invalid UTF-8 was accepted");
    }

    @Test
    void textEndingInsideACharacterFailsAtTheEnd() throws ProtocolException {
        WebSocketDecoder decoder = new WebSocketDecoder(Role.SERVER, LIMIT);
        assertThat(decoder.next(ByteBuffer.wrap(FrameEncoder.clientFrame(false, Opcode.TEXT, hex("61e282"), 9))))
                .isNull();
        assertFails(() -> decoder.next(ByteBuffer.wrap(FrameEncoder.clientFrame(true, Opcode.CONTINUATION,
                new byte[0], 9))), 1007);
        assertFails(() -> serverDecodes(client(Opcode.TEXT, hex("61e282"))), 1007);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "c080, overlong 2-byte NUL",
        "e080af, overlong 3-byte",
        "f08080af, overlong 4-byte",
        "eda080, surrogate U+D800",
        "edbfbf, surrogate U+DFFF",
        "f4908080, above U+10FFFF",
        "ff, byte FF",
        "80, lone continuation byte",
    })
    void invalidUtf8InATextMessage(String bytes, String label) {
        assertFails(() -> serverDecodes(client(Opcode.TEXT, hex("61" + bytes))), 1007);
    }

    @Test
    void binaryMessagesAreNotCheckedAsUtf8() throws ProtocolException {
        assertThat(serverDecodes(client(Opcode.BINARY, hex("ff c0 80")))).containsExactly(binary(hex("ffc080")));
    }

    @Test
    void serverFramesDecodedByAClient() throws ProtocolException {
        byte[] wire = concat(FrameEncoder.serverFrame(false, Opcode.TEXT, utf8("Hel")),
                FrameEncoder.pongFrame(utf8("p")), FrameEncoder.serverFrame(true, Opcode.CONTINUATION, utf8("lo")),
                FrameEncoder.closeFrame(new CloseStatus(1001, "going")));
        List<ReadEvent> expected = List.of(new ReadEvent.Pong(utf8("p")), text("Hello"),
                new ReadEvent.Close(new CloseStatus(1001, "going")));
        assertThat(Wire.decodeByteByByte(new WebSocketDecoder(Role.CLIENT, LIMIT), wire)).isEqualTo(expected);
    }
}
