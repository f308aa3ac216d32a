package app;

import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.WebSocketTestClient;
import dev.chatengine.transport.jdk.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AppTest {

    @Test
    void aTokenLogsInUnderItsUsersName() throws Exception {
        try (ChatServer server = App.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Map.of("t-alice", "alice"))) {
            assertEquals(401, WebSocketTestClient.builder(server.uri("/chat")).handshakeStatus());
            try (ChatTestClient alice = ChatTestClient.connect(URI.create(server.uri("/chat") + "?token=t-alice"))) {
                alice.send("{\"type\":\"login\"}");
                assertEquals("alice", alice.skipTo("welcome").string("name"));
                alice.say("lobby", "hello from a fresh app");
                assertEquals("hello from a fresh app", alice.skipTo("message").string("text"));
            }
        }
    }
}
