package dev.chatengine.engine.chat;

import java.util.OptionalLong;

/**
 * A decoded, well-formed protocol v1 request: its fields are present, of the right type and
 * syntactically valid (names, room names, text length). Whether it can be done (the name is free,
 * the client is in the room) is for {@link ChatService} to decide.
 */
sealed interface Request {

    /** @param name the NFC form of a valid user name */
    record Login(String name) implements Request {
    }

    /** @param since the last {@code seq} the client saw in the room, if it says */
    record Join(String room, OptionalLong since) implements Request {
    }

    record Leave(String room) implements Request {
    }

    record Say(String room, String text) implements Request {
    }

    /** @param to the recipient's name as the sender typed it (not checked against the name rules) */
    record Whisper(String to, String text) implements Request {
    }

    record Who(String room) implements Request {
    }

    record ListRooms() implements Request {
    }
}
