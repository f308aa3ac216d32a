package dev.chatengine.engine;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The close code and reason an application gave {@link Client#close(int, String)}: the transport
 * sends exactly this (for WebSocket, a close frame with this code and reason), and
 * {@link Client#applicationClose()} reports it after {@link ClientHandler#onClose} was told
 * {@link DisconnectReason#APPLICATION}.
 *
 * <p>Immutable. The codes an application may send are those of RFC 6455 section 7.4 that make sense
 * for a server to choose on purpose: {@value #NORMAL} (done), {@value #GOING_AWAY} (going away),
 * {@value #POLICY_VIOLATION} (policy), {@value #INTERNAL_ERROR} (server error), {@value #SERVICE_RESTART}
 * (service restart: reconnect), {@value #TRY_AGAIN_LATER} (try again later), and the private-use range {@value #MIN_PRIVATE_CODE}-{@value #MAX_PRIVATE_CODE}
 * for the application's own meanings (for example 4000 "replaced", 4001 "kicked"). Codes of the
 * protocol's own failures (1002, 1003, 1007, 1009, ...) are the transport's to send, and 1005, 1006
 * and 1015 never go on the wire.
 *
 * @param code   the close code, one of {@link #isAllowedCode(int)}
 * @param reason a short human-readable reason, at most {@value #MAX_REASON_BYTES} bytes of UTF-8 (a
 *               close frame's payload is at most 125 bytes, 2 of them the code); never null, may be empty
 */
public record ApplicationClose(int code, String reason) {

    /** 1000: the purpose of the connection is fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the server is going away. */
    public static final int GOING_AWAY = 1001;
    /** 1008: the client broke a policy of the application. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (or a part of it was reset); the client should reconnect. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (overload). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The first code of the range RFC 6455 leaves to private use by applications. */
    public static final int MIN_PRIVATE_CODE = 4000;
    /** The last code of that range. */
    public static final int MAX_PRIVATE_CODE = 4999;
    /** The longest reason, in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 123;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the code is not one an application may send, or the
     *         reason is longer than {@value #MAX_REASON_BYTES} UTF-8 bytes
     * @throws NullPointerException when the reason is null
     */
    public ApplicationClose {
        Objects.requireNonNull(reason, "reason");
        if (!isAllowedCode(code)) {
            throw new IllegalArgumentException("close code " + code + " is not one an application may send: use 1000, 1001,"
                    + " 1008, 1011, 1012, 1013 or " + MIN_PRIVATE_CODE + "-" + MAX_PRIVATE_CODE);
        }
        int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + bytes + " bytes of UTF-8; at most "
                    + MAX_REASON_BYTES + " fit a close frame");
        }
    }

    /** True for the codes {@link Client#close(int, String)} accepts; see the class comment. */
    public static boolean isAllowedCode(int code) {
        return code == NORMAL || code == GOING_AWAY || code == POLICY_VIOLATION || code == INTERNAL_ERROR
                || code == SERVICE_RESTART || code == TRY_AGAIN_LATER || (code >= MIN_PRIVATE_CODE && code <= MAX_PRIVATE_CODE);
    }
}
