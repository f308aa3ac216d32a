package dev.chatengine.engine.chat;

import java.util.List;
import java.util.OptionalLong;

/**
 * A decoded, well-formed protocol v1 request: its fields are present, of the right type and
 * syntactically valid (names, room names, text length). Whether it can be done (the name is free,
 * the client is in the room) is for {@link ChatService} to decide.
 */
sealed interface Request {

    /**
     * @param name   the NFC form of a valid user name, or null when the login gave none (for a principal's name)
     * @param resume a resume token from an earlier {@code welcome}, or null
     */
    record Login(String name, String resume) implements Request {
    }

    /**
     * @param since the last {@code seq} the client saw in the room, if it says
     * @param epoch the epoch that {@code since} belongs to, or null (the current one, for old clients)
     */
    record Join(String room, OptionalLong since, String epoch) implements Request {
    }

    record Leave(String room) implements Request {
    }

    /** @param id the client's idempotency id, or null */
    record Say(String room, String text, String id) implements Request {
    }

    /** @param to the recipient's name as the sender typed it (not checked against the name rules) */
    record Whisper(String to, String text, String id) implements Request {
    }

    record Who(String room) implements Request {
    }

    /** @param cursor from a previous {@code rooms} reply's {@code next}, or null for the first page */
    record ListRooms(int limit, String cursor) implements Request {
    }

    record Typing(String room) implements Request {
    }

    /** @param names at most 50 names, as typed */
    record Online(List<String> names) implements Request {
    }
}
