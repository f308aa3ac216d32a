package dev.chatengine.transport.jdk.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a {@link WebSocketDecoder} produces: a whole data message (fragments already joined) or one
 * control frame. Consume it with an exhaustive {@code switch}.
 *
 * <p>Arrays are not copied: the decoder allocates a fresh array for every event and never touches it
 * again, so the receiver owns it. Equality, hash code and {@code toString} look at the array contents
 * (unlike a plain record), which is what tests and recorders need.
 */
public sealed interface ReadEvent {

    /** A complete text (already checked to be valid UTF-8) or binary message. */
    record Message(boolean text, byte[] payload) implements ReadEvent {
        /** The payload decoded as UTF-8; meant for text messages. */
        public String asText() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.text == text && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * Boolean.hashCode(text) + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Message[text=" + text + ", payload=" + (text ? '"' + asText() + '"' : show(payload)) + "]";
        }
    }

    /** A ping; answer it with a pong carrying the same payload (RFC 6455 section 5.5.2). */
    record Ping(byte[] payload) implements ReadEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Ping[" + show(payload) + "]";
        }
    }

    /** A pong, solicited or not (RFC 6455 section 5.5.3). */
    record Pong(byte[] payload) implements ReadEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Pong[" + show(payload) + "]";
        }
    }

    /** A close frame, its payload parsed and checked; 1005 when it carried no status. */
    record Close(CloseStatus status) implements ReadEvent {}

    private static String show(byte[] bytes) {
        int shown = Math.min(bytes.length, 32);
        return bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, shown) + (shown < bytes.length ? "..." : "");
    }
}
