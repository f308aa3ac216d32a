package dev.chatengine.examples;

import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.transport.jdk.server.ChatServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A server-side announcement: server code posts into a room through {@link ChatService#announce}.
 * The announcement is a {@code message} like any other: it has the room's next {@code seq}, is kept
 * in the history (a later joiner sees it; a reconnecting page recovers it with {@code since}), and
 * reaches the members in the room's order. No connection is needed, so no "bot" appears in the
 * member lists.
 */
public final class Announcements {

    private Announcements() {
    }

    // README:announce
    /** Serves chat protocol v1 on {@code ws://address/ws}. */
    public static ChatServer start(InetSocketAddress address) throws IOException {
        return ChatServer.builder().address(address).endpoint("/ws", ChatService::new).start();
    }

    /** Posts {@code text} into {@code room} as "system", from server code (any thread). */
    public static long announce(ChatServer server, String room, String text) {
        SequencedMessage posted = server.handler("/ws", ChatService.class).announce(room, "system", text);
        return posted.seq();
    }
    // README:end

    /** Serves {@code ws://localhost:8080/ws} and announces the time in the lobby every minute. */
    public static void main(String[] args) throws Exception {
        ChatServer server = start(new InetSocketAddress(8080));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving " + server.uri("/ws"));
        while (true) {
            announce(server, "lobby", "it is " + java.time.LocalTime.now().withNano(0));
            Thread.sleep(60_000);
        }
    }
}
