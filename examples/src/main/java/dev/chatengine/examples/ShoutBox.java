package dev.chatengine.examples;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.server.ChatServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A protocol of your own on {@link ClientHandler}, in plain text instead of chat v1: a client's
 * first message is its nickname; every message after it goes to everyone connected as
 * {@code nick: text}; arrivals and departures are announced. Per-client state lives in
 * {@link Client#attach}; a message is encoded once and the same bytes go to every member of the
 * room.
 */
public final class ShoutBox {

    private ShoutBox() {
    }

    // README:own-protocol
    /** Plain-text shouts: the first message names you, each later one goes to everybody. */
    static final class Shouts implements ClientHandler {
        private static final String ROOM = "everybody";
        private final Hub hub;

        Shouts(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void onOpen(Client client) {
            client.send(hub.encoder().text("who are you?"));
        }

        @Override
        public void onText(Client client, Inbound.Text text) {
            String nick = client.attachment();
            if (nick == null) {
                client.attach(text.text().strip());
                hub.join(ROOM, client);
                hub.broadcast(ROOM, hub.encoder().text("* " + client.attachment() + " is here"));
            } else {
                hub.broadcast(ROOM, hub.encoder().text(nick + ": " + text.text()));
            }
        }

        @Override
        public void onClose(Client client, DisconnectReason reason) {
            if (client.attachment() != null) { // still in the room, but closing: the others get it
                hub.broadcast(ROOM, hub.encoder().text("* " + client.attachment() + " left"));
            }
        }
    }

    /** Serves the shout box on {@code ws://address/shouts}. */
    public static ChatServer start(InetSocketAddress address) throws IOException {
        return ChatServer.builder().address(address).endpoint("/shouts", Shouts::new).start();
    }
    // README:end

    /** Serves {@code ws://localhost:8080/shouts}. */
    public static void main(String[] args) throws IOException {
        ChatServer server = start(new InetSocketAddress(8080));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving " + server.uri("/shouts"));
    }
}
