package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.RoomPage;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact wire form of every server message. */
class RepliesTest {

    @Test
    void everyReplyHasItsFieldsInOrderAndTheRefLast() {
        assertThat(s(Replies.welcome("alice", null, null))).isEqualTo("{\"type\":\"welcome\",\"name\":\"alice\"}");
        assertThat(s(Replies.welcome("alice", "tok", "r"))).isEqualTo("{\"type\":\"welcome\",\"name\":\"alice\",\"resume\":\"tok\",\"ref\":\"r\"}");
        byte[] m = Replies.message(message("java", "alice", "hi", 17, 1764121400123L), null, null);
        assertThat(s(m)).isEqualTo("{\"type\":\"message\",\"room\":\"java\",\"from\":\"alice\",\"text\":\"hi\",\"seq\":17,\"ts\":1764121400123}");
        assertThat(s(Replies.message(message("java", "alice", "hi", 17, 1), null, "r"))).endsWith(",\"ts\":1,\"ref\":\"r\"}");
        assertThat(s(Replies.message(message("java", "alice", "hi", 17, 1), "m1", "r"))).endsWith(",\"ts\":1,\"id\":\"m1\",\"ref\":\"r\"}");
        assertThat(s(Replies.joined("java", "e1", List.of("alice", "bob"), 2, List.of(m, m), true, "r"))).isEqualTo(
                "{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"e1\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":["
                        + s(m) + "," + s(m) + "],\"recovered\":true,\"ref\":\"r\"}");
        assertThat(s(Replies.left("java", "r"))).isEqualTo("{\"type\":\"left\",\"room\":\"java\",\"ref\":\"r\"}");
        assertThat(s(Replies.presence("java", "bob", "leave")))
                .isEqualTo("{\"type\":\"presence\",\"room\":\"java\",\"name\":\"bob\",\"event\":\"leave\"}");
        assertThat(s(Replies.direct(new Direct("alice", "bob", "psst", 5), null, null)))
                .isEqualTo("{\"type\":\"direct\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"psst\",\"ts\":5}");
        assertThat(s(Replies.members("java", List.of(), 0, null))).isEqualTo("{\"type\":\"members\",\"room\":\"java\",\"members\":[],\"total\":0}");
        assertThat(s(Replies.rooms(new RoomPage(List.of(new RoomPage.RoomInfo("lobby", 3)), 1, null), null)))
                .isEqualTo("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":3}],\"total\":1}");
        assertThat(s(Replies.rooms(new RoomPage(List.of(), 7, "3:x"), "r")))
                .isEqualTo("{\"type\":\"rooms\",\"rooms\":[],\"total\":7,\"next\":\"3:x\",\"ref\":\"r\"}");
        assertThat(s(Replies.typing("java", "bob"))).isEqualTo("{\"type\":\"typing\",\"room\":\"java\",\"name\":\"bob\"}");
        assertThat(s(Replies.roomEvent("java", "gone"))).isEqualTo("{\"type\":\"room\",\"room\":\"java\",\"event\":\"gone\"}");
        assertThat(s(Replies.online(List.of("bob"), null))).isEqualTo("{\"type\":\"online\",\"names\":[\"bob\"]}");
        assertThat(s(Replies.error("rate_limited", "slow down", 50, null)))
                .isEqualTo("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"retryAfterMs\":50}");
        assertThat(s(Replies.error(ErrorCode.NOT_IN_ROOM, "you are not in \"x\"", "r")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"not_in_room\",\"message\":\"you are not in \\\"x\\\"\",\"ref\":\"r\"}");
    }

    @Test
    void textIsCarriedAsTextNeverInterpreted() {
        assertThat(s(Replies.message(message("r", "a", "<img src=x onerror=alert(1)>\n\u2028", 1, 1), null, null)))
                .contains("\"text\":\"<img src=x onerror=alert(1)>\\n\\u2028\"");
    }

    private static SequencedMessage message(String room, String from, String text, long seq, long ts) {
        return new SequencedMessage("e1", seq, new ChatMessage(room, from, text, ts));
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
