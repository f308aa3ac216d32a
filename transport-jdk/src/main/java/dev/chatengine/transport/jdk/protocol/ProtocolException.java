package dev.chatengine.transport.jdk.protocol;

/**
 * A violation of RFC 6455 by the peer, carrying the close status to answer it with: 1002 for protocol
 * errors, 1007 for invalid UTF-8, 1009 for a message over the size limit.
 *
 * <p>The connection catches it in one place, sends a close frame with {@link #closeStatus()} (whose
 * reason is the exception's message, an exact sentence naming the RFC section) and ends the
 * connection. Immutable.
 */
public final class ProtocolException extends Exception {
    private final CloseStatus closeStatus;

    /** A violation answered with {@code closeStatus}; its reason becomes the message. */
    public ProtocolException(CloseStatus closeStatus) {
        super(closeStatus.reason());
        this.closeStatus = closeStatus;
    }

    /** A violation answered with close code {@code code} and the sentence {@code reason}. */
    public ProtocolException(int code, String reason) {
        this(new CloseStatus(code, reason));
    }

    /** The close status to send to the peer before ending the connection. */
    public CloseStatus closeStatus() {
        return closeStatus;
    }
}
