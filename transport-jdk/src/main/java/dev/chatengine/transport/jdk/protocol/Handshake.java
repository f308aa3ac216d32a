package dev.chatengine.transport.jdk.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The rules of the opening handshake (RFC 6455 section 4.2), without I/O: checking the client's
 * {@code Sec-WebSocket-Key} and header tokens, and computing {@code Sec-WebSocket-Accept}.
 *
 * <p>Stateless and thread-safe. A server answers an upgrade request only when {@code Upgrade} has the
 * token {@code websocket}, {@code Connection} has {@code Upgrade}, {@code Sec-WebSocket-Version} is
 * {@value #VERSION} and {@link #isValidKey} holds; it then replies 101 with
 * {@code Sec-WebSocket-Accept: acceptValue(key)}.
 */
public final class Handshake {
    /** The GUID appended to the key before hashing (RFC 6455 section 1.3). */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The only protocol version RFC 6455 defines; answer others with 426 and this value. */
    public static final String VERSION = "13";
    /** The length of a key: base64 of 16 bytes, padded. */
    private static final int KEY_CHARS = 24;
    private static final int KEY_BYTES = 16;

    private Handshake() {}

    /** The Sec-WebSocket-Accept value for {@code key}: base64(SHA-1(key + GUID)). */
    public static String acceptValue(String key) {
        try {
            // MessageDigest instances are not thread-safe and cheap to get; one per call.
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-1", e);
        }
    }

    /**
     * True when {@code key} is base64 of exactly 16 bytes (RFC 6455 section 4.1), 24 characters with
     * padding and no surrounding white space (callers trim header values); false for null.
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != KEY_CHARS) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /**
     * True when the comma-separated header value contains {@code token}, compared case-insensitively
     * after trimming white space ({@code Connection: keep-alive, Upgrade} has {@code upgrade}); false
     * for a null value.
     */
    public static boolean hasToken(String headerValue, String token) {
        if (headerValue == null) {
            return false;
        }
        for (String element : headerValue.split(",")) {
            if (element.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
