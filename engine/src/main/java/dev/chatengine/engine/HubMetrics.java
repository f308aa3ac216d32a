package dev.chatengine.engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's counters (since start) and gauges (now). Thread-safe, cheap to read; read it as often
 * as you like, for example from a {@code /metrics} endpoint. Get it from {@link Hub#metrics()}.
 *
 * <p>Kept cheap on the hot path: counters are {@link LongAdder}s, and the write pumps add their
 * deliveries and bytes once per batch, never once per message. Each read sums the adders, so a
 * read taken while traffic flows is a moment's approximation, exact once traffic stops.
 */
public final class HubMetrics {

    private final Hub hub;
    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicLongArray dropped = new AtomicLongArray(DisconnectReason.values().length);
    private final AtomicLong queueHighWaterMark = new AtomicLong();
    /** Touched once per message entering or leaving the queues (not once per recipient). */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long memoryBudgetBytes;

    /** {@code hub} may be null in tests of the queues alone: then there are no gauges and no shedding. */
    HubMetrics(Hub hub, long memoryBudgetBytes) {
        this.hub = hub;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /** Gauge: clients connected now (registered and not yet gone). */
    public long connections() {
        return hub.clientCount();
    }

    /** Counter: clients ever connected. */
    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** Gauge: rooms that exist now (created on first use, kept until {@link Hub#removeRoomIfEmpty} retires them). */
    public long rooms() {
        return hub.roomCount();
    }

    /** Counter: messages received from clients. */
    public long messagesReceived() {
        return messagesReceived.sum();
    }

    /** Counter: messages written to clients (one broadcast to 1,000 members is 1,000 deliveries). */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Counter: bytes written to clients (wire bytes of the messages; pings and close frames not counted). */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Counter: clients dropped for {@code reason} (a reason with {@link DisconnectReason#isDrop()}; 0 for others). */
    public long dropped(DisconnectReason reason) {
        return dropped.get(Objects.requireNonNull(reason, "reason").ordinal());
    }

    /** Counter: clients dropped for any reason. */
    public long droppedTotal() {
        long total = 0;
        for (DisconnectReason reason : DisconnectReason.values()) {
            total += dropped.get(reason.ordinal());
        }
        return total;
    }

    /**
     * Gauge: the most messages any client's send queue has held at once, as seen by its write pump
     * when it drained the queue (a client dropped as a slow consumer counts as a full queue).
     */
    public long queueHighWaterMark() {
        return queueHighWaterMark.get();
    }

    /**
     * Gauge: wire bytes of the messages waiting in send queues now, each message counted once however
     * many queues hold it (a broadcast to 10,000 clients counts its length once). Compare with
     * {@link HubConfig#memoryBudgetBytes()}; {@link Hub#isOverMemoryBudget()} does.
     */
    public long queuedBytes() {
        return Math.max(0, queuedBytes.get());
    }

    /** One line for logs, for example {@code connections=3 rooms=1 received=10 deliveries=30 ...}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder()
                .append("connections=").append(connections())
                .append(" connectionsTotal=").append(connectionsTotal())
                .append(" rooms=").append(rooms())
                .append(" messagesReceived=").append(messagesReceived())
                .append(" deliveries=").append(deliveries())
                .append(" bytesOut=").append(bytesOut())
                .append(" queueHighWaterMark=").append(queueHighWaterMark())
                .append(" queuedBytes=").append(queuedBytes());
        for (DisconnectReason reason : DisconnectReason.values()) {
            if (reason.isDrop()) {
                line.append(" dropped.").append(reason.name()).append('=').append(dropped(reason));
            }
        }
        return line.toString();
    }

    /** A message entered the queues (positive) or left the last of them (negative). */
    void bytesQueued(long delta) {
        long total = queuedBytes.addAndGet(delta);
        if (delta > 0 && total > memoryBudgetBytes && hub != null) {
            hub.memoryBudgetExceeded();
        }
    }

    boolean isOverMemoryBudget() {
        return queuedBytes.get() > memoryBudgetBytes;
    }

    void connectionOpened() {
        connectionsTotal.increment();
    }

    void messageReceived() {
        messagesReceived.increment();
    }

    /** Called by a write pump once per batch. */
    void batchWritten(int messages, long bytes) {
        deliveries.add(messages);
        bytesOut.add(bytes);
    }

    void clientDropped(DisconnectReason reason) {
        if (reason.isDrop()) {
            dropped.incrementAndGet(reason.ordinal());
        }
    }

    /** Called by a write pump only when its own client's high-water mark grows, so rarely. */
    void queueDepthSeen(long depth) {
        queueHighWaterMark.accumulateAndGet(depth, Math::max);
    }
}
