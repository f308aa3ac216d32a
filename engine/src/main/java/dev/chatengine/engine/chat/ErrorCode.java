package dev.chatengine.engine.chat;

/**
 * The {@code code} of a protocol v1 {@code error} reply. An error never closes the connection. Besides
 * these, an application's {@link MessageFilter} may refuse a message with a code of its own.
 */
public enum ErrorCode {
    /** The frame is not JSON, not a JSON object, or a binary frame. */
    BAD_JSON("bad_json"),
    /** A field is missing or of the wrong type, a text is empty, a {@code ref} is too long, or a second {@code login}. */
    BAD_REQUEST("bad_request"),
    /** {@code type} names no request of the protocol. */
    UNKNOWN_TYPE("unknown_type"),
    /** A request other than {@code login} before {@code login}. */
    NOT_LOGGED_IN("not_logged_in"),
    /** Someone online has the name already (compared case-insensitively). */
    NAME_TAKEN("name_taken"),
    /**
     * The name is not 1 to 32 code points, a letter first, then letters, combining marks, decimal digits,
     * {@code _} or {@code -}.
     */
    BAD_NAME("bad_name"),
    /** The room name is not 1 to 64 of {@code a-z 0-9 _ -}, or the room would be one too many. */
    BAD_ROOM("bad_room"),
    /** {@code say} or {@code leave} for a room the client is not in. */
    NOT_IN_ROOM("not_in_room"),
    /** The text (or the whole request) is longer than the limit. */
    TOO_LONG("too_long"),
    /** {@code whisper} to a name nobody online has. */
    NO_SUCH_USER("no_such_user"),
    /**
     * More requests than the connection's rate allows, or more whispers than a sender-recipient pair or a
     * recipient may have; the error carries {@code retryAfterMs}.
     */
    RATE_LIMITED("rate_limited"),
    /** The identity policy (a login with a name other than the authenticated one) or the room policy says no. */
    FORBIDDEN("forbidden"),
    /** The cluster broker is unreachable: the message was not accepted (nothing was done); try again later. */
    UNAVAILABLE("unavailable");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as it appears on the wire, for example {@code bad_json}. */
    public String wire() {
        return wire;
    }
}
