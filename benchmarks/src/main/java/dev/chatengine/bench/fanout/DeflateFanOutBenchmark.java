package dev.chatengine.bench.fanout;

import dev.chatengine.bench.codec.ChatTraffic;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.server.DeflateConfig;
import dev.chatengine.transport.jdk.protocol.DeflateParameters;
import dev.chatengine.transport.jdk.protocol.DeflateSender;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out with permessage-deflate on or off: one chat {@code message} (about 150 bytes, over the
 * default threshold) encoded, broadcast to a room of 1, 100 or 1,000 members on
 * {@link DeflatingConnection}s, and delivered: the score is the time from encoding until every
 * member's write pump has written it, so it includes the one compression the first deflate pump
 * makes (the others share its bytes). After each iteration the benchmark checks that the encoder
 * compressed exactly once per broadcast, whatever the number of members, and fails otherwise.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DeflateFanOutBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DeflateFanOutBenchmark {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"1", "100", "1000"})
    public int members;

    @Param({"false", "true"})
    public boolean deflate;

    private WebSocketMessageEncoder encoder;
    private Hub hub;
    private Room room;
    private byte[] json;
    private final List<DeflatingConnection> connections = new ArrayList<>();
    private final List<Thread> readPumps = new ArrayList<>();
    private long broadcasts;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        encoder = WebSocketMessageEncoder.create(WebSocketMessageEncoder.DEFAULT_COMPRESSION_LEVEL);
        hub = Hub.create(HubConfig.builder().pingPeriod(Duration.ofHours(1)).pongWait(Duration.ofHours(2)).build(), encoder);
        room = hub.room("bench");
        ClientHandler joinRoom = new ClientHandler() {
            @Override
            public void onOpen(Client client) {
                room.join(client);
            }

            @Override
            public void onText(Client client, Inbound.Text text) {
            }
        };
        for (int i = 0; i < members; i++) {
            DeflateSender sender = deflate
                    ? new DeflateSender(DeflateParameters.noContextTakeover(), DeflateConfig.DEFAULT_THRESHOLD_BYTES) : null;
            DeflatingConnection c = new DeflatingConnection(i, sender);
            connections.add(c);
            readPumps.add(Thread.ofVirtual().start(() -> hub.serve(c, joinRoom)));
        }
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (room.size() < members) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + room.size() + " of " + members + " joined");
            }
            Thread.sleep(1);
        }
        json = ChatTraffic.typical();
        if (json.length < DeflateConfig.DEFAULT_THRESHOLD_BYTES) {
            throw new IllegalStateException("the message must be over the threshold: " + json.length);
        }
    }

    @Benchmark
    public void broadcastAndDeliver() {
        room.broadcast(hub.encoder().text(json));
        broadcasts++;
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (DeflatingConnection c : connections) {
            while (c.messagesWritten() < broadcasts) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a write pump is stuck at " + c.messagesWritten());
                }
                LockSupport.parkNanos(1_000);
            }
        }
    }

    @TearDown(Level.Iteration)
    public void checkOneCompressionPerBroadcast() {
        long expected = deflate ? broadcasts : 0;
        if (encoder.compressions() != expected) {
            throw new IllegalStateException(encoder.compressions() + " compressions for " + broadcasts
                    + " broadcasts to " + members + " members");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (deflate && members > 0) {
            DeflatingConnection c = connections.getFirst();
            System.out.printf("%n  wire bytes per delivery: %.1f (plain frame %d)%n",
                    (double) c.bytesWritten() / c.messagesWritten(), json.length + 2);
        }
        hub.shutdown(Duration.ofSeconds(10));
        for (Thread t : readPumps) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
