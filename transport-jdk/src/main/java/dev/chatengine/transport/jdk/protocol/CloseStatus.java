package dev.chatengine.transport.jdk.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A close code and reason (RFC 6455 sections 5.5.1 and 7.4): parsed from a received close frame with
 * {@link #parse(byte[])}, turned into a close frame payload with {@link #toPayload()}.
 *
 * <p>Immutable and thread-safe. The reason is never null and always fits a control frame: the
 * constructor cuts it to {@value #MAX_REASON_BYTES} bytes of UTF-8 on a character boundary, so every
 * value can be sent. Which codes may travel on the wire is decided by {@link #isSendable(int)} and
 * {@link #isValidReceived(int)}; codes 1005, 1006 and 1015 exist only to report a close locally.
 */
public record CloseStatus(int code, String reason) {
    /** 1000: the purpose of the connection is fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the endpoint goes away (server shutdown, page left). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this kind of data. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1004: reserved by RFC 6455, never valid on the wire. */
    public static final int RESERVED = 1004;
    /** 1005: the close frame had no status code; never sent. */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection ended without a close frame; never sent. */
    public static final int ABNORMAL = 1006;
    /** 1007: a text message was not valid UTF-8 (or a message was inconsistent with its type). */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a generic policy violation. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA registry). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (IANA registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: bad gateway (IANA registry). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    /** A close frame payload is at most 125 bytes, 2 of them the code (RFC 6455 section 5.5). */
    public static final int MAX_REASON_BYTES = 123;

    private static final byte[] NO_PAYLOAD = new byte[0];

    /**
     * Makes a status; a null reason becomes empty and a longer one is cut to {@value #MAX_REASON_BYTES}
     * UTF-8 bytes on a character boundary.
     *
     * @throws IllegalArgumentException when {@code code} does not fit the 16-bit field
     */
    public CloseStatus {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("Close code must fit 16 bits: " + code);
        }
        reason = truncateReason(reason == null ? "" : reason);
    }

    /** A status with an empty reason. */
    public static CloseStatus of(int code) {
        return new CloseStatus(code, "");
    }

    /**
     * Parses the payload of a received close frame (RFC 6455 section 5.5.1).
     *
     * @param payload the unmasked payload, at most 125 bytes; not kept
     * @return 1005 {@link #NO_STATUS} for an empty payload, else the code and reason it carries
     * @throws ProtocolException 1002 for a 1-byte payload or a code not allowed on the wire
     *     ({@link #isValidReceived(int)}), 1007 when the reason is not valid UTF-8
     */
    public static CloseStatus parse(byte[] payload) throws ProtocolException {
        if (payload.length == 0) {
            return new CloseStatus(NO_STATUS, "");
        }
        if (payload.length == 1) {
            throw new ProtocolException(PROTOCOL_ERROR,
                    "Close frame payload MUST NOT be 1 byte (RFC 6455 section 5.5.1)");
        }
        if (payload.length > 2 + MAX_REASON_BYTES) {
            throw new ProtocolException(PROTOCOL_ERROR,
                    "Control frame payload MUST be 125 bytes or less (RFC 6455 section 5.5)");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!isValidReceived(code)) {
            throw new ProtocolException(PROTOCOL_ERROR,
                    "Invalid close code " + code + " received (RFC 6455 section 7.4)");
        }
        if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
            throw new ProtocolException(INVALID_PAYLOAD,
                    "Close reason MUST be valid UTF-8 (RFC 6455 section 5.5.1)");
        }
        return new CloseStatus(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /**
     * The payload of a close frame carrying this status: the code in network byte order followed by
     * the reason in UTF-8. A code that must not be sent ({@link #isSendable(int)} false, e.g. 1005)
     * gives an empty payload, which RFC 6455 allows and the peer reads as 1005 "no status".
     */
    public byte[] toPayload() {
        if (!isSendable(code)) {
            return NO_PAYLOAD.clone();
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /**
     * True when {@code code} may be put in a close frame we send: the same codes that are valid to
     * receive. 1005, 1006 and 1015 are reserved for local reporting and never go on the wire.
     */
    public static boolean isSendable(int code) {
        return isValidReceived(code);
    }

    /**
     * True when a peer may send {@code code} (RFC 6455 section 7.4 and the IANA registry): 1000-1003,
     * 1007-1014 and the 3000-4999 range for libraries and applications. Everything else, including
     * 1004, 1005, 1006, 1015, codes under 1000, 1016-2999 and 5000 and above, is a protocol error.
     */
    public static boolean isValidReceived(int code) {
        return (code >= NORMAL && code <= UNSUPPORTED_DATA)
                || (code >= INVALID_PAYLOAD && code <= BAD_GATEWAY)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * {@code reason} cut to at most {@value #MAX_REASON_BYTES} bytes of UTF-8 without splitting a
     * character (a surrogate pair counts as one 4-byte character).
     */
    public static String truncateReason(String reason) {
        // Fast path: even at 3 bytes per char (the most a single char takes) it fits.
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < reason.length()
                    && Character.isLowSurrogate(reason.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else {
                width = 3; // a lone surrogate is encoded as '?' (1 byte) by String.getBytes; 3 is safe
            }
            if (bytes + width > MAX_REASON_BYTES) {
                return reason.substring(0, i);
            }
            bytes += width;
            i += chars - 1;
        }
        return reason;
    }
}
