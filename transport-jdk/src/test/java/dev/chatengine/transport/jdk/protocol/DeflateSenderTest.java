package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.transport.jdk.server.DeflateConfig;

import static dev.chatengine.transport.jdk.protocol.Wire.binary;
import static dev.chatengine.transport.jdk.protocol.Wire.concat;
import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static dev.chatengine.transport.jdk.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatengine.engine.transport.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sending with permessage-deflate: the RFC 7692 section 7.2.3 bytes from our own compressor, one
 * compression per broadcast shared by every recipient, context takeover, the threshold and the window.
 */
class DeflateSenderTest {
    /** A threshold of 0: every message is compressed. */
    private static final int EVERYTHING = 0;
    private static final DeflateParameters NO_TAKEOVER = DeflateParameters.noContextTakeover();
    private static final DeflateParameters SERVER_TAKEOVER = new DeflateParameters(false, true, 15, 15);
    private final WebSocketMessageEncoder encoder = WebSocketMessageEncoder.create(WebSocketMessageEncoder.DEFAULT_COMPRESSION_LEVEL);

    private static List<ReadEvent> clientReads(DeflateParameters parameters, byte[]... frames) throws ProtocolException {
        return Wire.decode(new WebSocketDecoder(Role.CLIENT, 1 << 20, Optional.of(parameters)), concat(frames), 4096);
    }

    private static byte[] compressed(java.util.zip.Deflater deflater, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return MessageDeflater.compressedFrame(deflater, Opcode.TEXT, data, 0, data.length, Integer.MAX_VALUE - 8);
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {1, 6, 9})
    void helloCompressesToTheRfcBytes(int level) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(level, true);
        assertThat(compressed(deflater, "Hello")).isEqualTo(hex("c1 07 f2 48 cd c9 c9 07 00")); // RFC 7692 7.2.3.1
        // 7 bytes for 5: a sender picks the plain frame instead, which RFC 7692 allows for any message.
        assertThat(new DeflateSender(NO_TAKEOVER, EVERYTHING).select(encoder.text("Hello")).wireBytes())
                .isEqualTo(hex("81 05 48 65 6c 6c 6f"));
        deflater.end();
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {1, 6, 9})
    void contextTakeoverSharesTheWindowAsTheRfcShows(int level) throws ProtocolException {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(level, true);
        byte[] first = compressed(deflater, "Hello");
        byte[] second = compressed(deflater, "Hello");
        deflater.end();
        assertThat(first).isEqualTo(hex("c1 07 f2 48 cd c9 c9 07 00")); // RFC 7692 7.2.3.2: the first "Hello"
        assertThat(second).isEqualTo(hex("c1 05 f2 00 11 00 00"));      //                   the second, a back-reference
        assertThat(clientReads(SERVER_TAKEOVER, first, second)).containsExactly(text("Hello"), text("Hello"));
    }

    @Test
    void serverContextTakeoverUsesTheConnectionsOwnDeflater() throws ProtocolException {
        String chat = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\",\"text\":\"hi\"}";
        DeflateSender sender = new DeflateSender(SERVER_TAKEOVER, EVERYTHING);
        byte[] first = sender.select(encoder.text(chat)).wireBytes();
        byte[] second = sender.select(encoder.text(chat)).wireBytes();
        assertThat(second.length).isLessThan(first.length / 2); // refers back into the first
        assertThat(encoder.compressions()).isZero();            // not the shared form
        assertThat(clientReads(SERVER_TAKEOVER, first, second)).containsExactly(text(chat), text(chat));
        assertThat(sender.holdsDeflater()).isTrue();
        sender.close();
        assertThat(sender.holdsDeflater()).isFalse();
        EncodedMessage afterClose = encoder.text(chat);
        assertThat(sender.select(afterClose)).isSameAs(afterClose);
    }

    @Test
    void withoutContextTakeoverEveryMessageIsCompressedAlone() throws ProtocolException {
        DeflateSender sender = new DeflateSender(NO_TAKEOVER, EVERYTHING);
        String chat = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\",\"text\":\"hi\"}";
        byte[] first = sender.select(encoder.text(chat)).wireBytes();
        byte[] second = sender.select(encoder.text(chat)).wireBytes();
        assertThat(first[0]).isEqualTo((byte) 0xC1);
        assertThat(second).isEqualTo(first);
        assertThat(sender.holdsDeflater()).isFalse();
        assertThat(clientReads(NO_TAKEOVER, first, second)).containsExactly(text(chat), text(chat));
    }

    @Test
    void aBroadcastIsCompressedOnceForAllItsRecipients() throws InterruptedException {
        EncodedMessage broadcast = encoder.text("{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\","
                + "\"text\":\"hello everyone, how is the weather over there today?\",\"ts\":1764690000000}");
        int recipients = 1000;
        List<DeflateSender> senders = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            senders.add(new DeflateSender(NO_TAKEOVER, DeflateConfig.DEFAULT_THRESHOLD_BYTES));
        }
        EncodedMessage[] sent = new EncodedMessage[recipients];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> pumps = new ArrayList<>();
        for (int i = 0; i < recipients; i++) { // each recipient's write pump, racing for the first compression
            int recipient = i;
            pumps.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                sent[recipient] = senders.get(recipient).select(new EncodedMessage[] {broadcast}, 1)[0];
            }));
        }
        start.countDown();
        for (Thread pump : pumps) {
            pump.join();
        }
        assertThat(encoder.compressions()).isEqualTo(1);
        assertThat(sent[0]).isNotSameAs(broadcast);
        assertThat(sent[0].wireBytes()[0]).isEqualTo((byte) 0xC1); // FIN, RSV1, text
        assertThat(sent).allSatisfy(message -> assertThat(message).isSameAs(sent[0]));
    }

    @Test
    void aMessageNoDeflateConnectionSendsIsNeverCompressed() {
        encoder.text("x".repeat(1000));
        assertThat(encoder.compressions()).isZero();
    }

    @Test
    void belowTheThresholdMessagesGoPlain() {
        DeflateSender sender = new DeflateSender(NO_TAKEOVER, 100);
        EncodedMessage short99 = encoder.text("a".repeat(99));
        EncodedMessage long100 = encoder.text("a".repeat(100));
        assertThat(sender.select(short99)).isSameAs(short99);
        assertThat(sender.select(long100)).isNotSameAs(long100);
        assertThat(encoder.compressions()).isEqualTo(1);
    }

    @Test
    void incompressibleMessagesGoPlain() {
        byte[] noise = new byte[1000];
        new Random(1).nextBytes(noise);
        EncodedMessage message = encoder.binary(noise);
        assertThat(new DeflateSender(NO_TAKEOVER, EVERYTHING).select(message)).isSameAs(message);
        assertThat(new DeflateSender(SERVER_TAKEOVER, EVERYTHING).select(message)).isSameAs(message);
    }

    @Test
    void messagesOfOtherEncodersGoPlain() {
        EncodedMessage foreign = EncodedMessage.wrap(FrameEncoder.serverFrame(Opcode.TEXT, "a".repeat(500).getBytes(StandardCharsets.US_ASCII)));
        assertThat(new DeflateSender(NO_TAKEOVER, EVERYTHING).select(foreign)).isSameAs(foreign);
    }

    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {8, 10, 12})
    void aSmallServerWindowCompressesOnlyWhatFitsInIt(int bits) {
        DeflateSender sender = new DeflateSender(new DeflateParameters(true, true, bits, 15), EVERYTHING);
        EncodedMessage fits = encoder.text("b".repeat(1 << bits));
        EncodedMessage tooLong = encoder.text("b".repeat((1 << bits) + 1));
        assertThat(sender.select(fits)).isNotSameAs(fits);
        assertThat(sender.select(tooLong)).isSameAs(tooLong);
    }

    @ParameterizedTest(name = "{0} bytes round-trip, shared and own")
    @ValueSource(ints = {0, 1, 125, 126, 200, 5000, 70_000, 300_000})
    void compressedFramesInflateToTheMessage(int length) throws ProtocolException {
        byte[] data = DeflateDecoderTest.chatLike(length);
        EncodedMessage message = encoder.binary(data);
        byte[] shared = new DeflateSender(NO_TAKEOVER, EVERYTHING).select(message).wireBytes();
        DeflateSender own = new DeflateSender(SERVER_TAKEOVER, EVERYTHING);
        byte[] first = own.select(message).wireBytes();
        byte[] second = own.select(message).wireBytes();
        assertThat(clientReads(NO_TAKEOVER, shared)).containsExactly(binary(data));
        assertThat(clientReads(SERVER_TAKEOVER, first, second)).containsExactly(binary(data), binary(data));
        own.close();
    }

    @Test
    void selectOfABatchNeverModifiesIt() {
        DeflateSender sender = new DeflateSender(NO_TAKEOVER, 10);
        EncodedMessage small = encoder.text("tiny");
        EncodedMessage large = encoder.text("large enough to compress, large enough to compress");
        EncodedMessage[] plainOnly = {small, small, null};
        assertThat(sender.select(plainOnly, 2)).isSameAs(plainOnly);
        EncodedMessage[] mixed = {small, large};
        EncodedMessage[] chosen = sender.select(mixed, 2);
        assertThat(chosen).isNotSameAs(mixed);
        assertThat(mixed).containsExactly(small, large);
        assertThat(chosen[0]).isSameAs(small);
        assertThat(chosen[1]).isSameAs(((CompressibleMessage) large).compressed());
    }
}
