package dev.chatengine.engine;

/**
 * The hub's counters (since start) and gauges (now). Thread-safe, cheap to read; read it as often
 * as you like, for example from a {@code /metrics} endpoint.
 */
public final class HubMetrics {

    private HubMetrics() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Gauge: clients connected now. */
    public long connections() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Counter: clients ever connected. */
    public long connectionsTotal() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Gauge: rooms that exist now. */
    public long rooms() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Counter: messages received from clients. */
    public long messagesReceived() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Counter: messages written to clients (one broadcast to 1,000 members is 1,000 deliveries). */
    public long deliveries() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Counter: bytes written to clients. */
    public long bytesOut() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Counter: clients dropped for {@code reason} (a reason with {@link DisconnectReason#isDrop()}; 0 for others). */
    public long dropped(DisconnectReason reason) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Gauge: the most messages any client's send queue has held at once. */
    public long queueHighWaterMark() {
        throw new UnsupportedOperationException("TODO engine");
    }
}
