package dev.chatengine.transport.jdk.protocol;

import java.nio.ByteBuffer;

/**
 * The syntax step of decoding: reads one frame header (RFC 6455 section 5.2) into its fields. No
 * protocol rules are checked here except the one that is pure syntax, the most significant bit of a
 * 64-bit length; {@link FrameValidation} applies the rest.
 *
 * <p>Not thread-safe: one instance per decoder, reused for every frame so that reading a header
 * allocates nothing.
 */
final class FrameHeader {
    /** The longest header: 2 fixed bytes, an 8-byte extended length and a 4-byte mask key. */
    static final int MAX_BYTES = 14;

    boolean fin;
    /** RSV1-3 as the 3 bits they occupy, shifted down: 0 to 7. */
    int rsv;
    Opcode opcode;
    boolean masked;
    /** The 4 mask-key bytes as a big-endian int; 0 when not masked. */
    int maskKey;
    long payloadLength;

    /** RSV1, the "Per-Message Compressed" bit of permessage-deflate (RFC 7692 section 6). */
    boolean rsv1() {
        return (rsv & 0b100) != 0;
    }

    /**
     * Reads a whole header from {@code in}, or nothing when it does not hold one yet.
     *
     * @return true when the fields were set and the header consumed; false when more bytes are needed
     *     (nothing consumed)
     * @throws ProtocolException 1002 when a 64-bit length has its most significant bit set
     */
    boolean read(ByteBuffer in) throws ProtocolException {
        int available = in.remaining();
        if (available < 2) {
            return false;
        }
        int p = in.position();
        int b0 = in.get(p) & 0xFF;
        int b1 = in.get(p + 1) & 0xFF;
        int length7 = b1 & 0x7F;
        int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        boolean isMasked = (b1 & 0x80) != 0;
        int headerBytes = 2 + lengthBytes + (isMasked ? 4 : 0);
        if (available < headerBytes) {
            return false;
        }
        // Bytes are assembled by hand so that the caller's ByteBuffer byte order does not matter.
        long length = length7 < 126 ? length7 : readBigEndian(in, p + 2, lengthBytes);
        if (length < 0) {
            throw new ProtocolException(CloseStatus.PROTOCOL_ERROR,
                    "Payload length MUST have its most significant bit 0 (RFC 6455 section 5.2)");
        }
        fin = (b0 & 0x80) != 0;
        rsv = (b0 >>> 4) & 0x7;
        opcode = Opcode.of(b0 & 0xF);
        masked = isMasked;
        maskKey = isMasked ? (int) readBigEndian(in, p + 2 + lengthBytes, 4) : 0;
        payloadLength = length;
        in.position(p + headerBytes);
        return true;
    }

    private static long readBigEndian(ByteBuffer in, int index, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (in.get(index + i) & 0xFF);
        }
        return value;
    }
}
