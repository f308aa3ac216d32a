package dev.chatengine.engine;

/**
 * Hears about every client of a {@link Hub}, whatever its {@link ClientHandler}: for metrics,
 * audit logs, presence in another system, alerts on slow clients. Register with
 * {@link Hub#addListener}; implement only the methods you need (each defaults to nothing).
 *
 * <pre>{@code
 * hub.addListener(new HubListener() {
 *     @Override
 *     public void onDropped(Client client, DisconnectReason reason) {
 *         LOG.log(WARNING, "dropped " + client.principal().map(Principal::getName).orElse("anonymous") + ": " + reason);
 *     }
 * });
 * }</pre>
 *
 * <p>Threads and timing: each method runs on the thread where the event happens, so it must be
 * quick, must not block, and must be thread-safe. An exception it throws is logged and ignored
 * (the client is not affected, the other listeners still run).
 */
public interface HubListener {

    /**
     * A client connected: it is registered in the hub and its {@link ClientHandler#onOpen} comes
     * next. Runs on the client's read pump (the transport's thread for the connection).
     */
    default void onConnected(Client client) {
    }

    /**
     * A client was dropped for the hub's health: {@code reason} is one with
     * {@link DisconnectReason#isDrop()} ({@link DisconnectReason#SLOW_CONSUMER},
     * {@link DisconnectReason#WRITE_TIMEOUT}, {@link DisconnectReason#IDLE_TIMEOUT}). Runs at the moment
     * of the drop, on the thread that found it: a sender whose message did not fit the client's
     * queue (possibly inside a room's order: don't send to rooms from here), or the hub's watchdog.
     * {@link #onDisconnected} follows once the client is gone.
     */
    default void onDropped(Client client, DisconnectReason reason) {
    }

    /**
     * A client is gone: its {@link ClientHandler#onClose} has run, it has left its rooms and the hub.
     * {@code reason} is why it closed (the first reason given). Runs on the client's read pump, last.
     */
    default void onDisconnected(Client client, DisconnectReason reason) {
    }
}
