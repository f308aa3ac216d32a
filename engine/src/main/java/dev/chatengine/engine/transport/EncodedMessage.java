package dev.chatengine.engine.transport;

import java.util.Objects;

/**
 * A message already in its transport's wire form (for WebSocket: a whole frame, header and
 * payload), made once by a {@link MessageEncoder} and then handed, as the same object, to every
 * recipient's send queue. That is how a broadcast to ten thousand clients costs one encoding.
 *
 * <p>Immutable by contract: the array is not copied on the way in or out, for speed, so neither
 * the encoder that made it nor a connection that writes it may change its bytes.
 *
 * <p>A transport may subclass it to carry other wire forms of the same message beside
 * {@link #wireBytes()} (for example a compressed form, made at most once and shared by every
 * connection that negotiated it); the engine only ever queues the object and reads
 * {@link #wireBytes()} and {@link #length()}, and the transport's {@link Connection#write} picks the
 * form each connection sends. Subclasses must stay immutable by the same contract and thread-safe.
 */
public class EncodedMessage {

    private final byte[] wireBytes;

    /** For a transport's subclass; {@code wireBytes} are not copied, as for {@link #wrap}. */
    protected EncodedMessage(byte[] wireBytes) {
        this.wireBytes = Objects.requireNonNull(wireBytes, "wireBytes");
    }

    /** Wraps {@code wireBytes} without copying; the caller gives up the right to change them. */
    public static EncodedMessage wrap(byte[] wireBytes) {
        return new EncodedMessage(wireBytes);
    }

    /** The wire bytes; read-only by contract, see the class comment. */
    public final byte[] wireBytes() {
        return wireBytes;
    }

    /** The number of wire bytes. */
    public final int length() {
        return wireBytes.length;
    }
}
