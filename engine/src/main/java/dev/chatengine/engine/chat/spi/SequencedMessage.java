package dev.chatengine.engine.chat.spi;

import java.util.Objects;

/**
 * A room message with its place in the room's order: {@code seq} counts the room's messages from 1
 * within one {@code epoch} (one life of the room), with no gaps.
 */
public record SequencedMessage(String epoch, long seq, ChatMessage message) {

    public SequencedMessage {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(message, "message");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1: " + seq);
        }
    }
}
