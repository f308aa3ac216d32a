package dev.chatengine.transport.jdk.protocol;

import java.util.Objects;

/**
 * Encodes frames (RFC 6455 section 5.2): header and payload in one array of exactly the frame's size,
 * with the shortest length encoding (7, 16 or 64 bits).
 *
 * <p>Stateless and thread-safe. A server sends {@link #serverFrame} (unmasked); {@link #clientFrame}
 * masks with a caller-chosen key, so that tests and clients get fixed output from a fixed key source.
 * {@link #encodeHeader} writes only a header into a caller's buffer, for writers that send the payload
 * from elsewhere. The methods refuse frames RFC 6455 forbids us to send (reserved opcodes, fragmented
 * or over-125-byte control frames) with {@link IllegalArgumentException}: that is a bug on our side,
 * not the peer's.
 */
public final class FrameEncoder {
    /** The largest control frame payload (RFC 6455 section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD_BYTES = 125;
    /** The longest header: 2 fixed bytes, a 64-bit length and a 4-byte mask key. */
    public static final int MAX_HEADER_BYTES = FrameHeader.MAX_BYTES;

    private FrameEncoder() {}

    /** A whole unmasked (server) frame with FIN set. */
    public static byte[] serverFrame(Opcode opcode, byte[] payload) {
        return frame(true, opcode, payload, false, 0);
    }

    /** An unmasked (server) frame; {@code fin} false makes a fragment that a continuation must follow. */
    public static byte[] serverFrame(boolean fin, Opcode opcode, byte[] payload) {
        return frame(fin, opcode, payload, false, 0);
    }

    /** A whole masked (client) frame with FIN set, masked with {@code maskKey}. */
    public static byte[] clientFrame(Opcode opcode, byte[] payload, int maskKey) {
        return frame(true, opcode, payload, true, maskKey);
    }

    /** A masked (client) frame; {@code fin} false makes a fragment that a continuation must follow. */
    public static byte[] clientFrame(boolean fin, Opcode opcode, byte[] payload, int maskKey) {
        return frame(fin, opcode, payload, true, maskKey);
    }

    /** An unmasked (server) close frame for {@code status}; no payload for a code that is never sent (1005). */
    public static byte[] closeFrame(CloseStatus status) {
        return serverFrame(Opcode.CLOSE, status.toPayload());
    }

    /** An unmasked (server) ping frame; {@code payload} at most 125 bytes. */
    public static byte[] pingFrame(byte[] payload) {
        return serverFrame(Opcode.PING, payload);
    }

    /** An unmasked (server) pong frame, answering a ping with its payload; at most 125 bytes. */
    public static byte[] pongFrame(byte[] payload) {
        return serverFrame(Opcode.PONG, payload);
    }

    /**
     * A frame: header then payload in one exact-size array; the payload is copied (and masked in the
     * copy when {@code masked}), never modified.
     *
     * @param maskKey the 4 mask-key bytes as a big-endian int; ignored when not {@code masked}
     */
    public static byte[] frame(boolean fin, Opcode opcode, byte[] payload, boolean masked, int maskKey) {
        return frame(fin, false, opcode, payload, masked, maskKey);
    }

    /**
     * A frame as {@link #frame(boolean, Opcode, byte[], boolean, int)} with RSV1 as given: set on the
     * first frame of a message compressed by permessage-deflate (RFC 7692 section 6), whose
     * {@code payload} is then the compressed data.
     *
     * @throws IllegalArgumentException for RSV1 on a control frame or a continuation
     */
    public static byte[] frame(boolean fin, boolean rsv1, Opcode opcode, byte[] payload, boolean masked, int maskKey) {
        Objects.requireNonNull(payload, "payload");
        int headerBytes = headerLength(payload.length, masked);
        byte[] frame = new byte[headerBytes + payload.length];
        encodeHeader(frame, 0, fin, rsv1, opcode, payload.length, masked, maskKey);
        System.arraycopy(payload, 0, frame, headerBytes, payload.length);
        if (masked) {
            Masking.mask(frame, headerBytes, payload.length, maskKey, 0);
        }
        return frame;
    }

    /** The size of the header for a payload of {@code payloadLength} bytes: 2 to 14. */
    public static int headerLength(long payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must be >= 0: " + payloadLength);
        }
        int lengthBytes = payloadLength <= 125 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
        return 2 + lengthBytes + (masked ? 4 : 0);
    }

    /**
     * Writes a frame header at {@code dst[offset]}, RSV bits 0.
     *
     * @return the number of bytes written, {@link #headerLength(long, boolean)}
     * @throws IllegalArgumentException for a reserved opcode or a fragmented or too long control frame
     * @throws IndexOutOfBoundsException when the header does not fit in {@code dst}
     */
    public static int encodeHeader(byte[] dst, int offset, boolean fin, Opcode opcode, long payloadLength,
                                   boolean masked, int maskKey) {
        return encodeHeader(dst, offset, fin, false, opcode, payloadLength, masked, maskKey);
    }

    /**
     * Writes a frame header as {@link #encodeHeader(byte[], int, boolean, Opcode, long, boolean, int)}
     * with RSV1 as given (permessage-deflate's "Per-Message Compressed" bit).
     *
     * @throws IllegalArgumentException also for RSV1 on a control frame or a continuation (RFC 7692 section 6.1)
     */
    public static int encodeHeader(byte[] dst, int offset, boolean fin, boolean rsv1, Opcode opcode,
                                   long payloadLength, boolean masked, int maskKey) {
        checkSendable(fin, opcode, payloadLength);
        if (rsv1 && (opcode.isControl() || opcode == Opcode.CONTINUATION)) {
            throw new IllegalArgumentException("RSV1 only on the first frame of a data message: " + opcode);
        }
        int headerBytes = headerLength(payloadLength, masked);
        Objects.checkFromIndexSize(offset, headerBytes, dst.length);
        int p = offset;
        dst[p++] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode.code());
        int maskBit = masked ? 0x80 : 0;
        if (payloadLength <= 125) {
            dst[p++] = (byte) (maskBit | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            dst[p++] = (byte) (maskBit | 126);
            p = putBigEndian(dst, p, payloadLength, 2);
        } else {
            dst[p++] = (byte) (maskBit | 127);
            p = putBigEndian(dst, p, payloadLength, 8);
        }
        if (masked) {
            p = putBigEndian(dst, p, maskKey & 0xFFFF_FFFFL, 4);
        }
        return p - offset;
    }

    private static void checkSendable(boolean fin, Opcode opcode, long payloadLength) {
        if (opcode.isReserved()) {
            throw new IllegalArgumentException("Reserved opcode cannot be sent: " + opcode);
        }
        if (opcode.isControl() && (!fin || payloadLength > MAX_CONTROL_PAYLOAD_BYTES)) {
            throw new IllegalArgumentException("Control frame must be final with at most "
                    + MAX_CONTROL_PAYLOAD_BYTES + " payload bytes: " + opcode + " fin=" + fin
                    + " length=" + payloadLength);
        }
    }

    private static int putBigEndian(byte[] dst, int p, long value, int bytes) {
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            dst[p++] = (byte) (value >>> shift);
        }
        return p;
    }
}
