package dev.chatengine.bench.codec;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.transport.jdk.protocol.DeflateParameters;
import dev.chatengine.transport.jdk.protocol.DeflateSender;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * permessage-deflate's cost per message on chat traffic ({@link ChatTraffic}): a chat-sized
 * {@code message} object (about 150 bytes) and a 50-message history reply (about 7 KB).
 *
 * <ul>
 *   <li>{@code encodePlain}: the plain frame, what every message costs anyway (the baseline);</li>
 *   <li>{@code encodeAndCompress}: the plain frame and then its shared compressed frame, as the
 *       first deflate recipient of a broadcast pays it (once per message, whatever the number of
 *       recipients), at levels 1 and 6;</li>
 *   <li>{@code decodePlain} / {@code decodeCompressed}: a masked client frame read by the server,
 *       plain or compressed (unmask, inflate with a pooled inflater, UTF-8 check).</li>
 * </ul>
 * The compression ratios themselves: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.chatengine.bench.codec.DeflateRatio}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DeflateBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeflateBenchmark {
    private static final int LIMIT = 1 << 20;
    private static final DeflateParameters NO_TAKEOVER = DeflateParameters.noContextTakeover();

    @Param({"message", "history"})
    public String payload;

    private byte[] json;
    private byte[] plainClientFrame;
    private byte[] compressedClientFrame;
    private final WebSocketDecoder plainDecoder = new WebSocketDecoder(Role.SERVER, LIMIT);
    private final WebSocketDecoder deflateDecoder = new WebSocketDecoder(Role.SERVER, LIMIT, Optional.of(NO_TAKEOVER));

    /** The compression level, for the compressing benchmark only. */
    @State(Scope.Thread)
    public static class Level {
        @Param({"1", "6"})
        public int level;
        WebSocketMessageEncoder encoder;
        final DeflateSender sender = new DeflateSender(NO_TAKEOVER, 0);

        @Setup
        public void setUp() {
            encoder = WebSocketMessageEncoder.create(level);
        }
    }

    @Setup
    public void setUp() {
        json = payload.equals("message") ? ChatTraffic.typical() : ChatTraffic.history(50);
        plainClientFrame = FrameEncoder.clientFrame(Opcode.TEXT, json, 0x37fa213d);
        EncodedMessage compressed = new DeflateSender(NO_TAKEOVER, 0)
                .select(WebSocketMessageEncoder.INSTANCE.text(json));
        byte[] serverFrame = compressed.wireBytes(); // unmasked, RSV1: re-frame it masked, as a client sends it
        int header = FrameEncoder.headerLength(serverFrame.length, false);
        byte[] compressedPayload = java.util.Arrays.copyOfRange(serverFrame, serverFrame.length - payloadLength(serverFrame), serverFrame.length);
        compressedClientFrame = FrameEncoder.frame(true, true, Opcode.TEXT, compressedPayload, true, 0x37fa213d);
        if (header < 2) {
            throw new IllegalStateException();
        }
    }

    private static int payloadLength(byte[] frame) {
        int length7 = frame[1] & 0x7F;
        if (length7 < 126) {
            return length7;
        }
        return ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF); // the payloads here are under 64 KiB
    }

    @Benchmark
    public EncodedMessage encodePlain(Level level) {
        return level.encoder.text(json);
    }

    @Benchmark
    public EncodedMessage encodeAndCompress(Level level) {
        return level.sender.select(level.encoder.text(json));
    }

    @Benchmark
    public ReadEvent decodePlain() throws ProtocolException {
        return plainDecoder.next(ByteBuffer.wrap(plainClientFrame));
    }

    @Benchmark
    public ReadEvent decodeCompressed() throws ProtocolException {
        return deflateDecoder.next(ByteBuffer.wrap(compressedClientFrame));
    }

    /** For {@link DeflateRatio}: the traffic's messages. */
    static List<byte[]> traffic() {
        return ChatTraffic.messages(1000);
    }
}
