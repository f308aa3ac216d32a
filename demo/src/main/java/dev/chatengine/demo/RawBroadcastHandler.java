package dev.chatengine.demo;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.transport.Inbound;

import java.util.Objects;

/**
 * {@code /ws/raw}: the gorilla/websocket chat example's behaviour. There is no login and no JSON:
 * every client is in one room, and every text message from any client goes verbatim, as its own
 * message, to every client, the sender included. A binary message closes its sender (1003), as
 * the engine does by default.
 *
 * <p>This is the endpoint the performance comparison drives, so a message costs one encoding (the
 * same frame bytes go to every recipient's queue) and one room lookup. Thread-safe: the hub calls
 * it from every client's read pump at once; it keeps no state of its own.
 */
final class RawBroadcastHandler implements ClientHandler {

    /** The one room every {@code /ws/raw} client is in. */
    static final String ROOM = "all";

    private final Hub hub;

    RawBroadcastHandler(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    public void onOpen(Client client) {
        hub.room(ROOM).join(client);
    }

    @Override
    public void onText(Client client, Inbound.Text message) {
        hub.room(ROOM).broadcast(hub.encoder().text(message.utf8()));
    }
}
