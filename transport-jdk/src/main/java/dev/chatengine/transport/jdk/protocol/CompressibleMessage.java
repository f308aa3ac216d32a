package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.engine.transport.EncodedMessage;

/**
 * A message made by {@link WebSocketMessageEncoder}: its {@link #wireBytes()} are the plain frame
 * every connection can send, and {@link #compressed()} gives the permessage-deflate frame of the same
 * message, compressed the first time a connection asks for it and then shared, as the same bytes, by
 * every connection that negotiated {@code server_no_context_takeover}. So a broadcast to ten thousand
 * clients costs one encoding and at most one compression, on the first write pump that needs it; a
 * message no deflate connection sends is never compressed.
 *
 * <p>Thread-safe; immutable once compressed. {@link DeflateSender} decides which form a connection
 * sends.
 */
public final class CompressibleMessage extends EncodedMessage {
    private final Opcode opcode;
    private final int payloadOffset;
    private final WebSocketMessageEncoder encoder;
    /** The compressed frame, or this when compressing does not make it smaller; null until asked. */
    private volatile EncodedMessage compressed;

    CompressibleMessage(byte[] frame, Opcode opcode, int payloadOffset, WebSocketMessageEncoder encoder) {
        super(frame);
        this.opcode = opcode;
        this.payloadOffset = payloadOffset;
        this.encoder = encoder;
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}. */
    public Opcode opcode() {
        return opcode;
    }

    /** The message's own size: the plain frame's payload. */
    public int payloadLength() {
        return length() - payloadOffset;
    }

    /** Where the payload starts in {@link #wireBytes()}. */
    int payloadOffset() {
        return payloadOffset;
    }

    WebSocketMessageEncoder encoder() {
        return encoder;
    }

    /**
     * The frame to send on a connection that negotiated permessage-deflate without server context
     * takeover: compressed (RSV1 set) when that is smaller, else this message itself. Computed once,
     * by the first caller; callers racing for it wait for that one.
     */
    public EncodedMessage compressed() {
        EncodedMessage result = compressed;
        if (result == null) {
            // One monitor per message, taken only by the few write pumps that race for the first
            // compression: cheaper than a lock object per message, and since JDK 24 a virtual thread
            // blocked on a monitor no longer pins its carrier.
            synchronized (this) {
                result = compressed;
                if (result == null) {
                    byte[] frame = encoder.compress(this);
                    result = frame == null ? this : EncodedMessage.wrap(frame);
                    compressed = result;
                }
            }
        }
        return result;
    }
}
