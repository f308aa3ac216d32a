package dev.chatengine.engine.chat;

/**
 * A request the protocol refuses: becomes one {@code error} reply, caught in one place
 * ({@link ChatService}). Carries the request's {@code ref} when it was known where the error arose.
 */
final class ChatError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String wireCode;
    private final String ref;
    private final long retryAfterMs;

    ChatError(ErrorCode code, String message) {
        this(code, message, null);
    }

    ChatError(ErrorCode code, String message, String ref) {
        this(code, code.wire(), message, ref, -1);
    }

    /** An error with an application's code (from a {@link MessageFilter}), or with {@code retryAfterMs} (0 or more). */
    ChatError(ErrorCode code, String wireCode, String message, String ref, long retryAfterMs) {
        super(message, null, false, false); // routine, so no stack trace
        this.code = code;
        this.wireCode = wireCode;
        this.ref = ref;
        this.retryAfterMs = retryAfterMs;
    }

    /** The protocol's code, or null for an application's own. */
    ErrorCode code() {
        return code;
    }

    String wireCode() {
        return wireCode;
    }

    /** Milliseconds until a retry may succeed, or -1 when the error does not say. */
    long retryAfterMs() {
        return retryAfterMs;
    }

    /** The request's ref, or null when it was unknown (or invalid) where the error arose. */
    String ref() {
        return ref;
    }
}
