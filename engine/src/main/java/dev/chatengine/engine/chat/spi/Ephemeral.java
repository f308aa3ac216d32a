package dev.chatengine.engine.chat.spi;

/**
 * An event for a room's members that has no seq and is never stored ({@link ChatBroker#publishEphemeral}):
 * it reaches the members online when it is published, or nobody.
 */
public sealed interface Ephemeral {

    /** The room it is for. */
    String room();

    /** {@code name} joined ({@code joined} true) or left the room. Its own client does not get it. */
    record Presence(String room, String name, boolean joined) implements Ephemeral {
    }

    /** {@code name} is typing in the room. Its own client does not get it. */
    record Typing(String room, String name) implements Ephemeral {
    }
}
