package dev.chatengine.engine.json;

/**
 * Malformed or over-limit JSON input: the only exception {@link JsonReader} throws for bad input.
 * {@link #position()} is the offset of the byte where the reader gave up, counted from the start
 * of the input it was given; the message says what it expected there, for example
 * {@code "expected ':' after an object member's name at byte 7"}.
 *
 * <p>Unchecked, because a caller either handles it at one place (the chat protocol answers
 * {@code bad_json}) or has a programming error. Immutable and thread-safe.
 */
public final class JsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /** An error at byte {@code position}; {@code problem} is a sentence without the position. */
    public JsonException(String problem, int position) {
        // No stack trace: bad input is routine for a server, and filling one in costs more than parsing.
        super(problem + " at byte " + position, null, false, false);
        this.position = position;
    }

    /** The offset of the byte where reading failed (the input's length when it ended too soon). */
    public int position() {
        return position;
    }
}
