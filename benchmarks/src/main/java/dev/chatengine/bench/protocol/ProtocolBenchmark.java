package dev.chatengine.bench.protocol;

import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import dev.chatengine.engine.json.JsonWriter;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Chat protocol v1's per-message JSON work, with the project's {@link JsonReader} and
 * {@link JsonWriter}, the way {@code ChatService} does it for every {@code say}:
 *
 * <ul>
 *   <li>{@link #parseSay}: parse {@code {"type":"say","room":"lobby","text":"...","ref":"17"}} (a
 *       64-character text) into a tree and take out type, ref, room and text;</li>
 *   <li>{@link #writeMessage}: write the {@code message} reply that is broadcast
 *       ({@code type, room, from, text, seq, ts}) into UTF-8 bytes;</li>
 *   <li>{@link #sayToMessage}: both, the whole JSON cost of one chat message on the server.</li>
 * </ul>
 *
 * <p>The request decoder and the reply builder themselves are package-private in
 * {@code dev.chatengine.engine.chat}; this benchmark repeats their calls on the public JSON API
 * (same reader limits, same field order, same writer sizing), so it measures the same work.
 *
 * <p>Good figures: each well under a microsecond (a few hundred ns), so that the JSON costs less
 * than one delivery's share of a broadcast to even a small room; allocation (with
 * {@code -prof gc}) a few hundred bytes: the tree, the strings, the output array.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ProtocolBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtocolBenchmark {

    /** The request decoder's limits: flat objects, 64 KiB. */
    private static final JsonReader READER = JsonReader.withLimits(8, 64 * 1024);
    /** Replies.ENVELOPE_BYTES's role: room for everything but the text. */
    private static final int ENVELOPE_BYTES = 160;
    private static final String TEXT = "Hello everyone, this is a chat message of exactly sixty-four ch.";

    /** What a say carries once parsed. */
    public record Say(String ref, String room, String text) {
    }

    private byte[] request;
    private long seq;

    @Setup
    public void setUp() {
        request = ("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + TEXT + "\",\"ref\":\"17\"}")
                .getBytes(StandardCharsets.UTF_8);
        Say say = parseSay();
        if (!say.text().equals(TEXT) || !say.room().equals("lobby") || !"17".equals(say.ref())) {
            throw new IllegalStateException("parsed " + say);
        }
    }

    @Benchmark
    public Say parseSay() {
        JsonValue value = READER.parse(request);
        if (!(value instanceof JsonObject body) || !(body.get("type") instanceof JsonString(String type))
                || !type.equals("say")) {
            throw new IllegalStateException("not a say: " + value);
        }
        String ref = body.get("ref") instanceof JsonString(String r) ? r : null;
        if (!(body.get("room") instanceof JsonString(String room)) || !(body.get("text") instanceof JsonString(String text))) {
            throw new IllegalStateException("say without room or text");
        }
        return new Say(ref, room, text);
    }

    @Benchmark
    public byte[] writeMessage() {
        return message("lobby", "alice", TEXT, ++seq, 1_764_121_400_123L);
    }

    @Benchmark
    public byte[] sayToMessage() {
        Say say = parseSay();
        return message(say.room(), "alice", say.text(), ++seq, 1_764_121_400_123L);
    }

    private static byte[] message(String room, String from, String text, long seq, long ts) {
        return new JsonWriter(ENVELOPE_BYTES + text.length() * 3)
                .beginObject()
                .name("type").value("message")
                .name("room").value(room)
                .name("from").value(from)
                .name("text").value(text)
                .name("seq").value(seq)
                .name("ts").value(ts)
                .endObject()
                .toByteArray();
    }
}
