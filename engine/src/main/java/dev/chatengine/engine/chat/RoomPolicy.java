package dev.chatengine.engine.chat;

import dev.chatengine.engine.Client;

/**
 * Decides whether a user may join a room, or create it by joining. A refusal is the error
 * {@code forbidden}. Called on the user's read pump before anything happens; may block briefly (it
 * holds up only that user). Must be thread-safe: it is called for different users at once.
 *
 * <pre>{@code
 * RoomPolicy staffOnly = (client, name, room, creating) -> !room.startsWith("staff-") || isStaff(client);
 * }</pre>
 */
@FunctionalInterface
public interface RoomPolicy {

    /** Everyone may join and create every room (the default). */
    RoomPolicy ALLOW_ALL = (client, name, room, creating) -> true;

    /**
     * @param client   the user's connection ({@link Client#principal()}, its attributes)
     * @param name     the user's chat name
     * @param creating true when the room does not exist yet and this join would make it
     * @return true to allow
     */
    boolean mayJoin(Client client, String name, String room, boolean creating);
}
