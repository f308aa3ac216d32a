package dev.chatengine.engine.chat;

/**
 * A request the protocol refuses: becomes one {@code error} reply, caught in one place
 * ({@link ChatService}). Carries the request's {@code ref} when it was known where the error arose.
 */
final class ChatError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String ref;

    ChatError(ErrorCode code, String message) {
        this(code, message, null);
    }

    ChatError(ErrorCode code, String message, String ref) {
        super(message, null, false, false); // routine, so no stack trace
        this.code = code;
        this.ref = ref;
    }

    ErrorCode code() {
        return code;
    }

    /** The request's ref, or null when it was unknown (or invalid) where the error arose. */
    String ref() {
        return ref;
    }
}
