package dev.chatengine.engine;

/**
 * Why a client left the hub, in the engine's words; a transport maps each to its own signal (the
 * WebSocket transport to a close code). {@link ClientHandler#onClose} receives one.
 */
public enum DisconnectReason {
    /** The peer closed the connection in an orderly way. */
    PEER_CLOSED(false),
    /** The connection failed or vanished without a close (reset, EOF, I/O error). */
    CONNECTION_LOST(false),
    /** The peer broke the wire protocol (a malformed frame, bad UTF-8, ...); the transport has answered it. */
    PROTOCOL_ERROR(false),
    /** The peer sent a message larger than the transport's limit. */
    MESSAGE_TOO_BIG(false),
    /** The peer sent a kind of message the application does not take (binary to a text protocol). */
    UNSUPPORTED_DATA(false),
    /** The application closed the client on purpose (policy). */
    POLICY(false),
    /**
     * The application closed the client with a code and reason of its own,
     * {@link Client#close(int, String)}; {@link Client#applicationClose()} gives them.
     */
    APPLICATION(false),
    /**
     * The application failed handling this client: a {@link ClientHandler} callback threw. The
     * server's fault, not the client's (the WebSocket transport says 1011, internal error).
     */
    SERVER_ERROR(false),
    /** The hub is shutting down. */
    SHUTDOWN(false),
    /** Dropped: the client's send queue was full, it could not keep up. */
    SLOW_CONSUMER(true),
    /** Dropped: one write to the client blocked longer than the write timeout. */
    WRITE_TIMEOUT(true),
    /** Dropped: nothing, not even a pong, arrived from the client within the pong wait. */
    IDLE_TIMEOUT(true),
    /**
     * Shed: the hub's queued messages were over its memory budget ({@link HubConfig#memoryBudgetBytes()})
     * and this client held among the most of them; it may try again later (WebSocket: 1013).
     */
    MEMORY_BUDGET(true);

    private final boolean drop;

    DisconnectReason(boolean drop) {
        this.drop = drop;
    }

    /**
     * True when the hub dropped the client for its own health (counted in {@link HubMetrics#dropped}):
     * what was queued for it is discarded, and its close goes out only if the socket takes it at once.
     * Every other close goes out after what was already queued.
     */
    public boolean isDrop() {
        return drop;
    }
}
