package dev.chatengine.engine;

import dev.chatengine.engine.transport.EncodedMessage;

import java.util.Set;

/**
 * One connected client of a {@link Hub}: its send queue, its rooms, and a slot for the
 * application's per-client state. Thread-safe.
 */
public final class Client {

    private Client() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** A number unique within the hub. */
    public long id() {
        throw new UnsupportedOperationException("TODO engine");
    }

    public String remoteAddress() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /**
     * Queues {@code message} for this client without blocking. If the queue is full the client is
     * dropped as {@link DisconnectReason#SLOW_CONSUMER}. Returns false when the message was not
     * queued (the client is closing, or was just dropped).
     */
    public boolean send(EncodedMessage message) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The rooms this client is a member of (a snapshot). */
    public Set<Room> rooms() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The application's state for this client, or null. */
    public <T> T attachment() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Sets the application's state for this client. */
    public void attach(Object attachment) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** True until the client starts closing. */
    public boolean isOpen() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Messages queued and not yet written. */
    public int queuedMessages() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Closes the client for {@code reason}: what is queued is discarded, the transport's close is sent. Idempotent. */
    public void close(DisconnectReason reason) {
        throw new UnsupportedOperationException("TODO engine");
    }
}
