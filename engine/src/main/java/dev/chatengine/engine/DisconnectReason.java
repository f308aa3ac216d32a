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
    IDLE_TIMEOUT(true);

    private final boolean drop;

    DisconnectReason(boolean drop) {
        this.drop = drop;
    }

    /** True when the hub dropped the client for its own health (counted in {@link HubMetrics#dropped}). */
    public boolean isDrop() {
        return drop;
    }
}
