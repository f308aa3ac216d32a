package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.SequencedMessage;

/**
 * Told of every room message once it is in the room's order (it has its seq), for persistence, search
 * or moderation logs: {@code say}s and {@link ChatService#announce announcements}, on the node that
 * accepted them. Called on the sender's read pump (or the announcing thread) after the message was
 * delivered, so a slow listener slows that sender only, never the room. Must be thread-safe; an
 * exception is logged and does not affect the chat. Not told of messages it gave back through
 * {@link HistorySource}.
 */
@FunctionalInterface
public interface MessageListener {

    MessageListener NONE = message -> { };

    void onMessage(SequencedMessage message);
}
