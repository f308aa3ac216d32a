package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ChatConfigTest {

    @Test
    void toBuilderKeepsEverySetting() {
        ChatConfig config = ChatConfig.builder().maxTextChars(100).historySize(7).maxHistoryBytes(9_000)
                .messagesPerSecond(3).burst(5).defaultRoom("hall").maxRefChars(10).maxNameChars(12).maxRooms(40)
                .maxRequestBytes(2_000).roomExpiry(Duration.ofSeconds(2)).maxRoomsPerClient(4).maxRoomsPerAddress(6)
                .maxListedMembers(8).presenceMaxMembers(9).whispersPerSecondPerPair(1).whispersPerSecondPerRecipient(2)
                .typingInterval(Duration.ofSeconds(3)).resumeWindow(Duration.ofMinutes(1))
                .idempotencyWindow(Duration.ofMinutes(2)).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(ChatConfig.defaults().toBuilder().build()).isEqualTo(ChatConfig.defaults());
    }
}
