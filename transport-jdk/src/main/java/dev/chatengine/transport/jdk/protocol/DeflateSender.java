package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.engine.transport.EncodedMessage;

import java.util.zip.Deflater;

/**
 * The write side of permessage-deflate for one server connection: picks the form each outgoing
 * message goes out in. Messages shorter than the threshold and messages not
 * made by {@link WebSocketMessageEncoder} go plain; control frames never pass through here (RFC 7692
 * section 6.1: they are never compressed).
 *
 * <ul>
 *   <li>{@code server_no_context_takeover} (the server's default answer): the message's shared
 *       {@link CompressibleMessage#compressed()} frame, the same bytes for every such connection.
 *       Under {@code server_max_window_bits=N} only messages of at most 2^N bytes are compressed,
 *       since a fresh compressor cannot refer farther back than the message's own length.</li>
 *   <li>server context takeover (only when the server's config allows it
 *       and the client did not refuse): this connection's own {@link Deflater}, made at its first
 *       compressed message and kept until {@link #close()}, compressing each message for it alone.</li>
 * </ul>
 *
 * <p>Thread contract: {@link #select} only by the connection's writer (one at a time);
 * {@link #close()} from any thread, idempotent.
 */
public final class DeflateSender {
    private final int thresholdBytes;
    private final boolean contextTakeover;
    /** The longest message the client's window takes from a fresh compressor. */
    private final long maxSharedPayloadBytes;
    private volatile Deflater own; // context takeover only; set by the writer, ended by close()
    private volatile boolean closed;

    /**
     * A sender for a connection that agreed {@code parameters}; messages shorter than
     * {@code thresholdBytes} go uncompressed.
     */
    public DeflateSender(DeflateParameters parameters, int thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
        this.contextTakeover = !parameters.serverNoContextTakeover();
        int bits = parameters.serverMaxWindowBits();
        this.maxSharedPayloadBytes = bits >= DeflateParameters.MAX_WINDOW_BITS ? Long.MAX_VALUE : 1L << bits;
    }

    /**
     * The batch to write instead of {@code batch[0..count)}: {@code batch} itself when no message
     * changes form, else a new array; {@code batch} is never modified.
     */
    public EncodedMessage[] select(EncodedMessage[] batch, int count) {
        EncodedMessage[] out = batch;
        for (int i = 0; i < count; i++) {
            EncodedMessage chosen = select(batch[i]);
            if (chosen != batch[i]) {
                if (out == batch) {
                    out = batch.clone();
                }
                out[i] = chosen;
            }
        }
        return out;
    }

    /** The form of {@code message} to send on this connection. */
    public EncodedMessage select(EncodedMessage message) {
        if (!(message instanceof CompressibleMessage compressible) || compressible.payloadLength() < thresholdBytes) {
            return message;
        }
        if (contextTakeover) {
            return compressOwn(compressible);
        }
        return compressible.payloadLength() <= maxSharedPayloadBytes ? compressible.compressed() : message;
    }

    private EncodedMessage compressOwn(CompressibleMessage message) {
        try {
            if (own == null) {
                if (closed) {
                    return message;
                }
                own = new Deflater(message.encoder().compressionLevel(), true);
            }
            byte[] frame = MessageDeflater.compressedFrame(own, message.opcode(), message.wireBytes(),
                    message.payloadOffset(), message.payloadLength());
            if (frame == null) {
                own.reset(); // its window now holds a message the peer will not inflate
                return message;
            }
            return EncodedMessage.wrap(frame);
        } catch (NullPointerException | IllegalStateException endedByClose) {
            if (!closed) {
                throw endedByClose;
            }
            return message; // close() ended the deflater; the socket is closed, the write fails anyway
        }
    }

    /** Ends this connection's own deflater, if it has one. Idempotent, from any thread. */
    public void close() {
        closed = true;
        Deflater deflater = own;
        if (deflater != null) {
            deflater.end(); // Deflater serializes end() with a running deflate() on its own lock
        }
    }

    /** True while this sender holds a deflater of its own (context takeover, after a first message). */
    public boolean holdsDeflater() {
        return own != null && !closed;
    }
}
