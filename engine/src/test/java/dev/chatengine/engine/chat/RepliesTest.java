package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact wire form of every server message. */
class RepliesTest {

    @Test
    void everyReplyHasItsFieldsInOrderAndTheRefLast() {
        assertThat(s(Replies.welcome("alice", null))).isEqualTo("{\"type\":\"welcome\",\"name\":\"alice\"}");
        byte[] m = Replies.message("java", "alice", "hi", 17, 1764121400123L, null);
        assertThat(s(m)).isEqualTo("{\"type\":\"message\",\"room\":\"java\",\"from\":\"alice\",\"text\":\"hi\",\"seq\":17,\"ts\":1764121400123}");
        assertThat(s(Replies.message("java", "alice", "hi", 17, 1, "r"))).endsWith(",\"ts\":1,\"ref\":\"r\"}");
        assertThat(s(Replies.joined("java", List.of("alice", "bob"), List.of(m, m), true, "r"))).isEqualTo(
                "{\"type\":\"joined\",\"room\":\"java\",\"members\":[\"alice\",\"bob\"],\"history\":[" + s(m) + "," + s(m)
                        + "],\"recovered\":true,\"ref\":\"r\"}");
        assertThat(s(Replies.left("java", "r"))).isEqualTo("{\"type\":\"left\",\"room\":\"java\",\"ref\":\"r\"}");
        assertThat(s(Replies.presence("java", "bob", "leave")))
                .isEqualTo("{\"type\":\"presence\",\"room\":\"java\",\"name\":\"bob\",\"event\":\"leave\"}");
        assertThat(s(Replies.direct("alice", "bob", "psst", 5, null)))
                .isEqualTo("{\"type\":\"direct\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"psst\",\"ts\":5}");
        assertThat(s(Replies.members("java", List.of(), null))).isEqualTo("{\"type\":\"members\",\"room\":\"java\",\"members\":[]}");
        assertThat(s(Replies.rooms(List.of(new Replies.RoomSummary("lobby", 3)), null)))
                .isEqualTo("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":3}]}");
        assertThat(s(Replies.error(ErrorCode.NOT_IN_ROOM, "you are not in \"x\"", "r")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"not_in_room\",\"message\":\"you are not in \\\"x\\\"\",\"ref\":\"r\"}");
    }

    @Test
    void textIsCarriedAsTextNeverInterpreted() {
        assertThat(s(Replies.message("r", "a", "<img src=x onerror=alert(1)>\n\u2028", 1, 1, null)))
                .contains("\"text\":\"<img src=x onerror=alert(1)>\\n\\u2028\"");
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
