package dev.chatengine.engine.transport;

import java.util.Objects;

/**
 * A message already in its transport's wire form (for WebSocket: a whole frame, header and
 * payload), made once by a {@link MessageEncoder} and then handed, as the same object, to every
 * recipient's send queue. That is how a broadcast to ten thousand clients costs one encoding.
 *
 * <p>Immutable by contract: the array is not copied on the way in or out, for speed, so neither
 * the encoder that made it nor a connection that writes it may change its bytes.
 */
public final class EncodedMessage {

    private final byte[] wireBytes;

    private EncodedMessage(byte[] wireBytes) {
        this.wireBytes = Objects.requireNonNull(wireBytes, "wireBytes");
    }

    /** Wraps {@code wireBytes} without copying; the caller gives up the right to change them. */
    public static EncodedMessage wrap(byte[] wireBytes) {
        return new EncodedMessage(wireBytes);
    }

    /** The wire bytes; read-only by contract, see the class comment. */
    public byte[] wireBytes() {
        return wireBytes;
    }

    /** The number of wire bytes. */
    public int length() {
        return wireBytes.length;
    }
}
