package dev.chatengine.engine.chat.spi;

/** What {@link ChatBroker#publish} gives a message: the room's epoch and the message's seq in it. */
public record Published(String epoch, long seq) {
}
