package dev.chatengine.transport.jdk.protocol;

/** STUB: encodes whole frames; server frames are unmasked. */
public final class FrameEncoder {
    private FrameEncoder() {}

    /** A whole unmasked (server) frame with FIN set. */
    public static byte[] serverFrame(Opcode opcode, byte[] payload) {
        throw new UnsupportedOperationException("TODO codec");
    }

    /** A whole masked (client) frame with FIN set, masked with {@code maskKey}. */
    public static byte[] clientFrame(Opcode opcode, byte[] payload, int maskKey) {
        throw new UnsupportedOperationException("TODO codec");
    }

    /** A close frame for {@code status} (no payload for 1005). */
    public static byte[] closeFrame(CloseStatus status) {
        throw new UnsupportedOperationException("TODO codec");
    }
}
