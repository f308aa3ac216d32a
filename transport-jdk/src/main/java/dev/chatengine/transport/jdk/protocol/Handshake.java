package dev.chatengine.transport.jdk.protocol;

/** STUB: opening-handshake rules of RFC 6455 section 4.2, no I/O. */
public final class Handshake {
    private Handshake() {}

    /** The Sec-WebSocket-Accept value for {@code key}. */
    public static String acceptValue(String key) {
        throw new UnsupportedOperationException("TODO codec");
    }

    /** True when {@code key} is base64 of exactly 16 bytes. */
    public static boolean isValidKey(String key) {
        throw new UnsupportedOperationException("TODO codec");
    }

    /** True when a comma-separated header value contains {@code token}, case-insensitively. */
    public static boolean hasToken(String headerValue, String token) {
        throw new UnsupportedOperationException("TODO codec");
    }
}
