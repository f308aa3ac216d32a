package dev.chatengine.engine.transport;

import dev.chatengine.engine.DisconnectReason;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What {@link Connection#read()} returns: a complete message, a pong, or the end of the connection.
 * Consumed with an exhaustive {@code switch}.
 */
public sealed interface Inbound {

    /**
     * A complete text message. {@code utf8} is valid UTF-8 (the transport validated it) and is not
     * copied: the transport hands over a fresh array that nobody else writes.
     */
    record Text(byte[] utf8) implements Inbound {
        public Text {
            Objects.requireNonNull(utf8, "utf8");
        }

        /** A text message from a string, for in-memory transports and tests. */
        public static Text of(String text) {
            return new Text(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The message decoded as a string. */
        public String text() {
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }

    /** A complete binary message; {@code data} is not copied, as for {@link Text}. */
    record Binary(byte[] data) implements Inbound {
        public Binary {
            Objects.requireNonNull(data, "data");
        }
    }

    /** A pong: proof that the peer is alive. */
    record Pong() implements Inbound {
    }

    /** The connection has ended, and why; {@link Connection#read()} is not called again after it. */
    record Closed(DisconnectReason reason) implements Inbound {
        public Closed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
