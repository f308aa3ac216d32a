package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;

/**
 * The engine's {@link MessageEncoder} for WebSocket: each message becomes one unmasked frame with FIN
 * set (a server never masks, RFC 6455 section 5.1), encoded once and written as-is to every recipient.
 * Each is a {@link CompressibleMessage}: a connection that negotiated permessage-deflate sends its
 * compressed form, made at most once per message whatever the number of recipients.
 *
 * <p>Thread-safe; use {@link #INSTANCE}, or {@link #create(int)} for another compression level.
 */
public final class WebSocketMessageEncoder implements MessageEncoder {
    /**
     * The default DEFLATE level, 1 (fastest): on chat traffic without a shared window, level 6 gives
     * the same ratio on single messages (1.24x) and 7% more on a 50-message history, at about twice
     * the CPU in two runs of three (measured: README's Performance section).
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;

    /** The one instance at {@link #DEFAULT_COMPRESSION_LEVEL}. */
    public static final WebSocketMessageEncoder INSTANCE = new WebSocketMessageEncoder(DEFAULT_COMPRESSION_LEVEL);

    private final int compressionLevel;
    private final ZlibPool<Deflater> deflaters;
    private final LongAdder compressions = new LongAdder();

    private WebSocketMessageEncoder(int compressionLevel) {
        if (compressionLevel < Deflater.BEST_SPEED || compressionLevel > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compressionLevel must be 1 to 9: " + compressionLevel);
        }
        this.compressionLevel = compressionLevel;
        this.deflaters = ZlibPool.deflaters(compressionLevel);
    }

    /** An encoder compressing at {@code compressionLevel} (1 fastest to 9 smallest), with its own deflater pool. */
    public static WebSocketMessageEncoder create(int compressionLevel) {
        return new WebSocketMessageEncoder(compressionLevel);
    }

    @Override
    public EncodedMessage text(byte[] utf8) {
        return message(Opcode.TEXT, utf8);
    }

    @Override
    public EncodedMessage binary(byte[] data) {
        return message(Opcode.BINARY, data);
    }

    private CompressibleMessage message(Opcode opcode, byte[] payload) {
        return new CompressibleMessage(FrameEncoder.serverFrame(opcode, payload), opcode,
                FrameEncoder.headerLength(payload.length, false), this);
    }

    /** The DEFLATE level of this encoder's compressed frames. */
    public int compressionLevel() {
        return compressionLevel;
    }

    /** How many messages this encoder has compressed so far: one per message at most, not per recipient. */
    public long compressions() {
        return compressions.sum();
    }

    /** Compresses {@code message} with a pooled deflater, fresh for it (no context takeover); null when not smaller. */
    byte[] compress(CompressibleMessage message) {
        compressions.increment();
        Deflater deflater = deflaters.borrow();
        try {
            return MessageDeflater.compressedFrame(deflater, message.opcode(), message.wireBytes(),
                    message.payloadOffset(), message.payloadLength());
        } finally {
            deflaters.release(deflater);
        }
    }
}
