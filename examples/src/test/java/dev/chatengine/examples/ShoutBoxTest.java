package dev.chatengine.examples;

import dev.chatengine.testing.WebSocketTestClient;
import dev.chatengine.transport.jdk.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's own protocol on ClientHandler, run with two clients. */
class ShoutBoxTest {

    @Test
    void twoClientsNameThemselvesAndShout() throws IOException {
        try (ChatServer server = ShoutBox.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             WebSocketTestClient ann = WebSocketTestClient.connect(server.uri("/shouts"));
             WebSocketTestClient bo = WebSocketTestClient.connect(server.uri("/shouts"))) {
            assertThat(ann.next()).isEqualTo("who are you?");
            assertThat(bo.next()).isEqualTo("who are you?");
            ann.send("ann");
            assertThat(ann.next()).isEqualTo("* ann is here");
            bo.send("bo");
            assertThat(ann.next()).isEqualTo("* bo is here");
            assertThat(bo.next()).isEqualTo("* bo is here");

            bo.send("hello!");
            assertThat(ann.next()).isEqualTo("bo: hello!");
            assertThat(bo.next()).isEqualTo("bo: hello!");

            bo.closeAndAwait();
            assertThat(ann.next()).isEqualTo("* bo left");
            ann.assertNoMoreMessages();
        }
    }
}
