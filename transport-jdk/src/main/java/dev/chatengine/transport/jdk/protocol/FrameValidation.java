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
     * @param messageInProgress a fragmented data message has started and not ended
     * @param messageBytes payload bytes of that message received so far (0 when none)
     * @throws ProtocolException 1002 for a protocol error, 1009 when the message would exceed
     *     {@code maxMessageBytes}
     */
    static void check(FrameHeader header, Role role, boolean messageInProgress, int messageBytes,
                      int maxMessageBytes) throws ProtocolException {
        if (header.rsv != 0) {
            throw protocolError("RSV bits MUST be 0 when no extension is negotiated (RFC 6455 section 5.2)");
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
        // Compared as a difference: before + payloadLength could overflow a long.
        if (header.payloadLength > maxMessageBytes - before) {
            throw new ProtocolException(CloseStatus.MESSAGE_TOO_BIG, "Message exceeds the limit of "
                    + maxMessageBytes + " bytes (RFC 6455 section 7.4.1)");
        }
    }

    private static ProtocolException protocolError(String sentence) {
        return new ProtocolException(CloseStatus.PROTOCOL_ERROR, sentence);
    }
}
