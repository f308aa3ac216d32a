package dev.chatengine.examples;

import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.transport.jdk.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's announcement, run: a message with a seq, in the room's order and in its history. */
class AnnouncementsTest {

    @Test
    void anAnnouncementIsAMessageWithASeqKeptInTheHistory() throws IOException {
        try (ChatServer server = Announcements.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             ChatTestClient alice = ChatTestClient.connect(server.uri("/ws"))) {
            alice.login("alice");
            alice.say("lobby", "first");
            long first = alice.skipTo("message").number("seq");

            long seq = Announcements.announce(server, "lobby", "maintenance at 22:00");

            ChatTestClient.Reply announced = alice.skipTo("message");
            assertThat(announced.string("from")).isEqualTo("system");
            assertThat(announced.string("text")).isEqualTo("maintenance at 22:00");
            assertThat(announced.number("seq")).isEqualTo(seq).isEqualTo(first + 1);

            try (ChatTestClient bob = ChatTestClient.connect(server.uri("/ws"))) {
                bob.request("login", "name", "bob");
                bob.skipTo("welcome");
                List<Object> history = bob.skipTo("joined").list("history");
                assertThat(history.stream().map(m -> (Object) ((Map<?, ?>) m).get("text")).toList())
                        .containsSubsequence((Object) "first", "maintenance at 22:00");
                assertThat(server.handler("/ws", dev.chatengine.engine.chat.ChatService.class).members("lobby"))
                        .as("no bot in the member list").containsExactly("alice", "bob");
            }
        }
    }
}
