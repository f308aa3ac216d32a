package dev.chatengine.transport.jdk.protocol;

/**
 * The policy step of decoding: the rules of RFC 6455 that a well-formed header must also obey, for
 * our {@link Role} and the state of the message being assembled. Checked on the header alone, before
 * any payload byte is read, so that an oversized message is refused without buffering it.
 *
 * <p>Stateless and thread-safe.
 */
final class FrameValidation {
    private FrameValidation() {}

    /**
     * Checks a received header.
     *
     * @param deflate permessage-deflate was negotiated: RSV1 may mark the first frame of a message
     * @param messageInProgress a fragmented data message has started and not ended
     * @param messageCompressed the message in progress is compressed (its first frame had RSV1)
     * @param messageBytes payload bytes of that message received so far (0 when none), compressed
     *     bytes for a compressed message
     * @throws ProtocolException 1002 for a protocol error, 1009 when the message would exceed
     *     {@code maxMessageBytes} (for a compressed message: {@link #maxCompressedBytes} on the wire;
     *     the inflater applies {@code maxMessageBytes} to what it inflates)
     */
    static void check(FrameHeader header, Role role, boolean deflate, boolean messageInProgress,
                      boolean messageCompressed, int messageBytes, int maxMessageBytes) throws ProtocolException {
        if (!deflate && header.rsv != 0) {
            throw protocolError("RSV bits MUST be 0 when no extension is negotiated (RFC 6455 section 5.2)");
        }
        if ((header.rsv & 0b011) != 0) {
            throw protocolError("RSV2 and RSV3 MUST be 0: no negotiated extension defines them (RFC 6455 section 5.2)");
        }
        Opcode opcode = header.opcode;
        if (opcode.isReserved()) {
            throw protocolError("Reserved opcode 0x" + Integer.toHexString(opcode.code()).toUpperCase()
                    + " MUST NOT be used (RFC 6455 section 5.2)");
        }
        switch (role) {
            case SERVER -> {
                if (!header.masked) {
                    throw protocolError("Client MUST mask all frames (RFC 6455 section 5.1)");
                }
            }
            case CLIENT -> {
                if (header.masked) {
                    throw protocolError("Server MUST NOT mask any frames (RFC 6455 section 5.1)");
                }
            }
        }
        if (header.rsv1() && opcode.isControl()) {
            throw protocolError("Control frames MUST NOT be compressed (RFC 7692 section 6.1)");
        }
        if (header.rsv1() && opcode == Opcode.CONTINUATION) {
            throw protocolError("RSV1 MUST be set only on the first frame of a message (RFC 7692 section 6.1)");
        }
        if (opcode.isControl()) {
            if (!header.fin) {
                throw protocolError("Control frames MUST NOT be fragmented (RFC 6455 section 5.5)");
            }
            if (header.payloadLength > 125) {
                throw protocolError("Control frame payload MUST be 125 bytes or less (RFC 6455 section 5.5)");
            }
            return;
        }
        if (opcode == Opcode.CONTINUATION && !messageInProgress) {
            throw protocolError("Continuation frame without a message to continue (RFC 6455 section 5.4)");
        }
        if (opcode != Opcode.CONTINUATION && messageInProgress) {
            throw protocolError("New data frame while a fragmented message is in progress (RFC 6455 section 5.4)");
        }
        int before = opcode == Opcode.CONTINUATION ? messageBytes : 0;
        boolean compressed = opcode == Opcode.CONTINUATION ? messageCompressed : header.rsv1();
        long limit = compressed ? maxCompressedBytes(maxMessageBytes) : maxMessageBytes;
        // Compared as a difference: before + payloadLength could overflow a long.
        if (header.payloadLength > limit - before) {
            throw new ProtocolException(CloseStatus.MESSAGE_TOO_BIG, "Message exceeds the limit of "
                    + maxMessageBytes + " bytes (RFC 6455 section 7.4.1)");
        }
    }

    /**
     * The most compressed bytes a message within {@code maxMessageBytes} may take on the wire: DEFLATE
     * expands incompressible data by at most 5 bytes per 16 KiB stored block (about 1/3000), plus a
     * sender's flushes; 1/64 and 1 KiB above the limit leave room for both. What inflates past the
     * limit still fails with 1009 in the inflater.
     */
    static int maxCompressedBytes(int maxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 16, maxMessageBytes + maxMessageBytes / 64L + 1024);
    }

    private static ProtocolException protocolError(String sentence) {
        return new ProtocolException(CloseStatus.PROTOCOL_ERROR, sentence);
    }
}
