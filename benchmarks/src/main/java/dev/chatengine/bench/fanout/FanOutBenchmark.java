package dev.chatengine.bench.fanout;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's fan-out: one broadcast of a 64-byte chat message (a 66-byte WebSocket frame,
 * encoded once) to a room of 1, 100, 1,000 or 10,000 members, each on a
 * {@link DiscardingConnection} whose write pump takes the bytes and throws them away.
 *
 * <p><b>What is measured</b>: the broadcaster's cost, the time {@link Room#broadcast} takes on the
 * calling thread: offering the message to every member's send queue and waking the write pumps
 * that were idle. The pumps' own work (draining the queues, the transport's write) runs on other
 * (virtual) threads and is not in the figure, except that it competes for the machine's cores.
 * End-to-end delivery is what the load generator measures.
 *
 * <p><b>Why queues never overflow here</b>: the broadcaster is faster than the pumps, so without a
 * brake the send queues would fill and the engine would rightly drop every member as a slow
 * consumer, after which a broadcast costs nothing. So the send queues hold
 * {@value #SEND_QUEUE_CAPACITY} messages, and before an invocation (untimed: a
 * {@link Level#Invocation} setup) the benchmark waits until every pump has written everything
 * whenever {@code drainEvery} broadcasts have gone out since the last wait. {@code drainEvery=1}
 * is the sparse chat: every broadcast finds every pump asleep and pays to wake it.
 * {@code drainEvery=256} is the busy room: most broadcasts find the pumps already awake and only
 * enqueue. A broadcast that dropped anyone fails the benchmark (see {@link #checkNoDrops}).
 *
 * <p><b>Figures</b>: the score is ns per broadcast; ns per delivery is that divided by
 * {@code members}. With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per
 * broadcast (JMH counts every platform thread, so the pumps' carriers may add to it). A good
 * engine spends at most about 50 ns per delivery at 10,000 members (target: ≤ 50) and allocates
 * per broadcast no more than a constant, nothing per member beyond the queue's own slot. The
 * invocation-level setup costs JMH two timestamps per call, about 30-50 ns: noticeable for a room
 * of 1, noise for the others.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FanOutBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FanOutBenchmark {

    /** Room for 2x the largest drainEvery, so a burst between drains never overflows. */
    static final int SEND_QUEUE_CAPACITY = 1024;
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String ROOM = "bench";
    private static final int MESSAGE_BYTES = 64;
    /** Park between polls while waiting for the pumps: they need the core more than we do. */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    @Param({"1", "100", "1000", "10000"})
    public int members;

    @Param({"1", "256"})
    public int drainEvery;

    private Hub hub;
    private Room room;
    private EncodedMessage message;
    private final List<DiscardingConnection> connections = new ArrayList<>();
    private final List<Thread> readPumps = new ArrayList<>();
    private long broadcasts;
    private long drainedAt;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        HubConfig config = HubConfig.builder()
                .sendQueueCapacity(SEND_QUEUE_CAPACITY)
                .pingPeriod(Duration.ofHours(1)) // no pings during a benchmark
                .pongWait(Duration.ofHours(2))
                .build();
        hub = Hub.create(config, WebSocketMessageEncoder.INSTANCE);
        room = hub.room(ROOM);
        ClientHandler joinRoom = new ClientHandler() {
            @Override
            public void onOpen(Client client) {
                room.join(client);
            }

            @Override
            public void onText(Client client, Inbound.Text text) {
                // the members never speak
            }
        };
        for (int i = 0; i < members; i++) {
            DiscardingConnection c = new DiscardingConnection(i);
            connections.add(c);
            readPumps.add(Thread.ofVirtual().name("member-" + i).start(() -> hub.serve(c, joinRoom)));
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (room.size() < members) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + room.size() + " of " + members + " joined");
            }
            Thread.sleep(1);
        }
        byte[] text = ("{\"type\":\"message\",\"room\":\"bench\",\"from\":\"alice\",\"text\":\"hello\",\"seq\":1}")
                .getBytes(StandardCharsets.UTF_8);
        message = hub.encoder().text(pad(text, MESSAGE_BYTES));
    }

    /** {@code text} cut or padded with spaces to {@code size} bytes (ASCII, so still valid UTF-8). */
    private static byte[] pad(byte[] text, int size) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(text, 0, out, 0, Math.min(size, text.length));
        return out;
    }

    /** Untimed: once {@code drainEvery} broadcasts are out, waits until every pump has written them all. */
    @Setup(Level.Invocation)
    public void drainIfDue() {
        if (broadcasts - drainedAt >= drainEvery) {
            awaitDrained();
            drainedAt = broadcasts;
        }
    }

    @Benchmark
    public void broadcast() {
        room.broadcast(message);
        broadcasts++;
    }

    private void awaitDrained() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        for (DiscardingConnection c : connections) {
            while (c.messagesWritten() < broadcasts) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a write pump is stuck at " + c.messagesWritten() + " of "
                            + broadcasts + " messages");
                }
                LockSupport.parkNanos(DRAIN_POLL_NANOS);
            }
        }
        checkNoDrops();
    }

    /** Fails the run if the engine dropped a member: the figure would then measure an emptier room. */
    private void checkNoDrops() {
        long dropped = hub.metrics().dropped(DisconnectReason.SLOW_CONSUMER);
        if (dropped != 0 || room.size() != members) {
            throw new IllegalStateException(dropped + " members dropped as slow consumers; room has "
                    + room.size() + " of " + members);
        }
    }

    @TearDown(Level.Iteration)
    public void drainAfterIteration() {
        awaitDrained();
        drainedAt = broadcasts;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        hub.shutdown(Duration.ofSeconds(10));
        for (Thread t : readPumps) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
