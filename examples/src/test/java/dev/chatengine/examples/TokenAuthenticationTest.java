package dev.chatengine.examples;

import dev.chatengine.testing.WebSocketTestClient;
import dev.chatengine.transport.jdk.server.ChatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's token authentication, run: 401 before any 101 without a valid token, the user's name and role after. */
class TokenAuthenticationTest {

    private ChatServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aKnownTokenIsGreetedByNameAndOthersGet401() throws IOException {
        server = TokenAuthentication.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Map.of("s3cret", new TokenAuthentication.User("alice", "admin")));
        URI base = server.uri("/ws");

        assertThat(WebSocketTestClient.builder(base).handshakeStatus()).isEqualTo(401);
        assertThat(WebSocketTestClient.builder(URI.create(base + "?token=guess")).handshakeStatus()).isEqualTo(401);
        try (WebSocketTestClient alice = WebSocketTestClient.connect(URI.create(base + "?token=s3cret"))) {
            assertThat(alice.next()).isEqualTo("hello, alice (admin)");
            alice.send("hi");
            assertThat(alice.next()).isEqualTo("alice: hi");
        }
    }
}
