package dev.chatengine.bench.codec;

import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

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
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket codec on one connection's hot path, single-threaded, no I/O.
 *
 * <ul>
 *   <li>{@link #decodeClientFrame}: a server's {@link WebSocketDecoder} reads one masked text frame
 *       of 64 B, 1 KiB or 64 KiB from a buffer: header, unmasking into a fresh array, UTF-8
 *       validation of the text (mixed ASCII and multi-byte characters). This is what the server
 *       pays per message received.</li>
 *   <li>{@link #encodeServerFrame}: {@link FrameEncoder#serverFrame} makes one unmasked text frame,
 *       what the server pays once per broadcast (encode once, share with every recipient).</li>
 * </ul>
 *
 * <p>Good figures: decoding should cost little more than copying the bytes (a few tens of ns for
 * 64 B; for 64 KiB well under 1 ns per byte, i.e. several GB/s, since masking and validation work
 * 8 bytes at a time); encoding should cost about an allocation and a copy. Use {@code -prof gc}:
 * decoding allocates the payload array and the event, nothing else.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private static final int MASK_KEY = 0x37FA213D; // RFC 6455 section 5.7's example key

    @Param({"64", "1024", "65536"})
    public int size;

    private byte[] payload;
    private ByteBuffer clientFrame;
    private WebSocketDecoder decoder;

    @Setup
    public void setUp() throws ProtocolException {
        payload = Payloads.text(size, true);
        clientFrame = ByteBuffer.wrap(FrameEncoder.clientFrame(Opcode.TEXT, payload, MASK_KEY));
        decoder = new WebSocketDecoder(Role.SERVER, 1 << 20);
        // The decoder reads and never writes its input, so the same frame can be decoded again and
        // again; check that once, so a codec change that unmasks in place cannot go unnoticed.
        ReadEvent first = decodeClientFrame();
        ReadEvent second = decodeClientFrame();
        if (!(first instanceof ReadEvent.Message m) || !first.equals(second)
                || !java.util.Arrays.equals(m.payload(), payload)) {
            throw new IllegalStateException("decoding the frame twice gave " + first + " and " + second);
        }
    }

    @Benchmark
    public ReadEvent decodeClientFrame() throws ProtocolException {
        clientFrame.clear();
        return decoder.next(clientFrame);
    }

    @Benchmark
    public byte[] encodeServerFrame() {
        return FrameEncoder.serverFrame(Opcode.TEXT, payload);
    }
}
