package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The hub: every connected {@link Client} and every {@link Room}. Thread-safe.
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubConfig.defaults(), transportEncoder);
 * // in the transport's per-connection thread (a virtual thread):
 * hub.serve(connection, myHandler);
 * // elsewhere:
 * hub.room("lobby").broadcast(hub.encoder().text("hello"));
 * hub.shutdown(Duration.ofSeconds(5));
 * }</pre>
 */
public final class Hub implements AutoCloseable {

    private Hub() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** A running hub that encodes with {@code encoder} (the transport's). */
    public static Hub create(HubConfig config, MessageEncoder encoder) {
        throw new UnsupportedOperationException("TODO engine");
    }

    public HubConfig config() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The transport's encoder: encode a message once with it, then send or broadcast the result. */
    public MessageEncoder encoder() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /**
     * Serves one client until it is gone: registers it, calls {@code handler.onOpen}, starts its
     * write pump on a new virtual thread, and runs its read pump on the calling thread, which
     * should be a virtual thread (the transport's per-connection thread). Returns once the client
     * has left, its write pump has ended and {@code handler.onClose} has run. A hub that is shut
     * down closes the connection at once with {@link DisconnectReason#SHUTDOWN}.
     */
    public void serve(Connection connection, ClientHandler handler) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The room named {@code name}, created empty if there is none. */
    public Room room(String name) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The room named {@code name}, if it exists. */
    public Optional<Room> findRoom(String name) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** A snapshot of the rooms. */
    public Collection<Room> rooms() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** A snapshot of the connected clients. */
    public Collection<Client> clients() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Live counters and gauges. */
    public HubMetrics metrics() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /**
     * Closes every client with {@link DisconnectReason#SHUTDOWN}, waits up to {@code grace} for
     * their close handshakes, cuts what is left, and stops the hub's own threads. New connections
     * given to {@link #serve} afterwards are closed at once. Idempotent.
     */
    public void shutdown(Duration grace) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** {@link #shutdown(Duration)} with the config's close timeout. */
    @Override
    public void close() {
        shutdown(config().closeTimeout());
    }

    /** Sends {@code message} to every client of {@code room}; shorthand for {@code room(room).broadcast(message)}. */
    public void broadcast(String room, EncodedMessage message) {
        room(room).broadcast(message);
    }
}
