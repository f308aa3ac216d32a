package dev.chatengine.bench.codec;

import dev.chatengine.transport.jdk.protocol.Utf8Validator;

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
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * UTF-8 validation of a text message of 64 B, 1 KiB and 64 KiB, all ASCII or mixed with two- and
 * three-byte characters: the project's {@link Utf8Validator} (a DFA that skips ASCII 8 bytes at a
 * time and keeps no output) against the JDK's {@link CharsetDecoder} set to report malformed input,
 * decoding into a reused {@link CharBuffer} (the usual way to validate without writing a
 * validator, and the more honest baseline than {@code new String}, which replaces bad bytes).
 *
 * <p>Good figures: the validator at least as fast as the decoder for ASCII (both skip runs of
 * ASCII; the decoder also writes chars) and clearly faster for mixed text, with no allocation.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Utf8Benchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Utf8Benchmark {

    @Param({"64", "1024", "65536"})
    public int size;

    @Param({"ascii", "mixed"})
    public String text;

    private byte[] data;
    private CharsetDecoder decoder;
    private CharBuffer chars;

    @Setup
    public void setUp() {
        data = Payloads.text(size, text.equals("mixed"));
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(size);
        if (!projectValidator() || !charsetDecoder()) {
            throw new IllegalStateException("the test text is not valid UTF-8");
        }
    }

    @Benchmark
    public boolean projectValidator() {
        return Utf8Validator.isValid(data);
    }

    @Benchmark
    public boolean charsetDecoder() {
        decoder.reset();
        chars.clear();
        CoderResult result = decoder.decode(ByteBuffer.wrap(data), chars, true);
        return !result.isError() && !decoder.flush(chars).isError();
    }
}
