package dev.chatengine.engine;

import dev.chatengine.engine.transport.Inbound;

/**
 * The application's side of a client: what to do when it arrives, sends a message and leaves.
 * Give one to {@link Hub#serve}; the same handler may serve every client.
 *
 * <p>Thread contract: for one client, {@link #onOpen}, {@link #onText}, {@link #onBinary} and
 * {@link #onClose} are called one at a time, in that order, on that client's read pump (a virtual
 * thread), so blocking briefly is fine. Calls for different clients run concurrently. An exception
 * thrown by a callback is logged and the client is closed; it never kills the hub.
 */
public interface ClientHandler {

    /** The client has joined the hub; it is in no room yet. */
    default void onOpen(Client client) {
    }

    /** A complete text message arrived from the client. */
    void onText(Client client, Inbound.Text message);

    /** A complete binary message arrived; by default the client is closed as {@link DisconnectReason#UNSUPPORTED_DATA}. */
    default void onBinary(Client client, Inbound.Binary message) {
        client.close(DisconnectReason.UNSUPPORTED_DATA);
    }

    /**
     * The client has left, for {@code reason} ({@link DisconnectReason#isDrop()} tells whether the
     * hub dropped it). It is still listed as a member of its rooms during this call, so the
     * application can tell them; the hub removes it from every room right after.
     */
    default void onClose(Client client, DisconnectReason reason) {
    }
}
