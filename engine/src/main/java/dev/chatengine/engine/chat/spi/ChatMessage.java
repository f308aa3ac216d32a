package dev.chatengine.engine.chat.spi;

import java.util.Objects;

/**
 * A room message before it has its place in the room's order: who said what, where, and when (the
 * accepting node's clock). The broker gives it its {@code seq} ({@link ChatBroker#publish}).
 *
 * <p>A broker that stores or ships messages keeps the four fields in any form it likes; the service
 * writes the protocol's {@code message} JSON from them on each node.
 *
 * @param room a valid room name
 * @param from the sender's name as it logged in (or the name given to {@code announce})
 * @param text the text, 1 to {@code maxTextChars} code points
 * @param ts   epoch milliseconds when the message was accepted
 */
public record ChatMessage(String room, String from, String text, long ts) {

    public ChatMessage {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
    }
}
