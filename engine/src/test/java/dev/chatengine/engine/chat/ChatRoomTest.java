package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The seq counter and the history ring, without a hub (the room's lock is the caller's business). */
class ChatRoomTest {

    @Test
    void seqsCountFromOneWithoutGapsAndTheRingKeepsTheLast() {
        ChatRoom room = new ChatRoom("r", null, 3, 1 << 20);
        assertThat(room.hasHistory()).isFalse();
        say(room, 5);
        assertThat(room.hasHistory()).isTrue();
        assertThat(texts(room.historySince(OptionalLong.empty()))).containsExactly("3", "4", "5");
        assertThat(room.historySince(OptionalLong.empty()).recovered()).isNull();
    }

    @Test
    void sinceTellsWhetherNothingWasMissed() {
        ChatRoom room = new ChatRoom("r", null, 3, 1 << 20);
        assertThat(room.historySince(OptionalLong.of(0))).satisfies(r -> {
            assertThat(r.history()).isEmpty();
            assertThat(r.recovered()).isTrue();
        });
        say(room, 5); // keeps 3, 4, 5
        assertRecovery(room, 5, true);
        assertRecovery(room, 4, true, "5");
        assertRecovery(room, 2, true, "3", "4", "5");
        assertRecovery(room, 1, false, "3", "4", "5");
        assertRecovery(room, 6, false, "3", "4", "5");
    }

    @Test
    void aRoomWithoutHistoryRecoversOnlyWhenNothingWasSaid() {
        ChatRoom room = new ChatRoom("r", null, 0, 1 << 20);
        assertRecovery(room, 0, true);
        say(room, 2);
        assertThat(room.hasHistory()).isFalse();
        assertRecovery(room, 2, true);
        assertRecovery(room, 1, false);
    }

    @Test
    void theRingWrapsManyTimes() {
        ChatRoom room = new ChatRoom("r", null, 50, 1 << 20);
        say(room, 1_234);
        List<String> texts = texts(room.historySince(OptionalLong.of(1_200)));
        assertThat(texts).hasSize(34).startsWith("1201").endsWith("1234");
    }

    @Test
    void longMessagesAreKeptWithinTheByteLimitAndRecoveryKnowsIt() {
        ChatRoom room = new ChatRoom("r", null, 50, 10);
        say(room, 9); // "1" to "9": nine bytes
        assertThat(texts(room.historySince(OptionalLong.empty()))).hasSize(9);
        long seq = room.nextSeq();
        room.remember(seq, "10".getBytes(StandardCharsets.UTF_8)); // eleven bytes: "1" goes
        assertRecovery(room, 1, true, "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertRecovery(room, 0, false, "2", "3", "4", "5", "6", "7", "8", "9", "10");
        seq = room.nextSeq();
        room.remember(seq, "a very long message".getBytes(StandardCharsets.UTF_8)); // alone over the limit: kept alone
        assertRecovery(room, 10, true, "a very long message");
        assertRecovery(room, 9, false, "a very long message");
        assertThat(room.hasHistory()).isTrue();
    }

    private static void say(ChatRoom room, int count) {
        for (int i = 0; i < count; i++) {
            long seq = room.nextSeq();
            room.remember(seq, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void assertRecovery(ChatRoom room, long since, boolean recovered, String... texts) {
        ChatRoom.Recovery r = room.historySince(OptionalLong.of(since));
        assertThat(r.recovered()).as("since %d", since).isEqualTo(recovered);
        assertThat(texts(r)).as("since %d", since).containsExactly(texts);
    }

    private static List<String> texts(ChatRoom.Recovery r) {
        return r.history().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
