package dev.chatengine.transport.jdk.protocol;

/**
 * The agreed parameters of a negotiated permessage-deflate extension (RFC 7692 section 7.1), as both
 * ends apply them after the handshake. Immutable. Made by {@link DeflateNegotiation}; a decoder or a
 * sender asks it about the peer or about itself through the {@link Role} of the sending end.
 *
 * @param serverNoContextTakeover the server resets its compressor for every message
 * @param clientNoContextTakeover the client resets its compressor for every message
 * @param serverMaxWindowBits     the largest LZ77 window (as a power of two, 8 to 15) the server may
 *                                use; the client's inflater may be that small
 * @param clientMaxWindowBits     the largest window the client may use, 8 to 15
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {

    /** The window DEFLATE allows at most, and the only one the JDK's {@code Deflater} uses: 2^15 bytes. */
    public static final int MAX_WINDOW_BITS = 15;
    /** The smallest window RFC 7692 allows: 2^8 bytes. */
    public static final int MIN_WINDOW_BITS = 8;

    /** Validates the window sizes. */
    public DeflateParameters {
        checkWindowBits(serverMaxWindowBits);
        checkWindowBits(clientMaxWindowBits);
    }

    /** Both sides reset per message, full windows: what the server answers by default. */
    public static DeflateParameters noContextTakeover() {
        return new DeflateParameters(true, true, MAX_WINDOW_BITS, MAX_WINDOW_BITS);
    }

    /** Whether {@code sender} resets its compressor for every message, so its peer's inflater may too. */
    public boolean noContextTakeover(Role sender) {
        return switch (sender) {
            case SERVER -> serverNoContextTakeover;
            case CLIENT -> clientNoContextTakeover;
        };
    }

    /** The window bits {@code sender} may use at most. */
    public int maxWindowBits(Role sender) {
        return switch (sender) {
            case SERVER -> serverMaxWindowBits;
            case CLIENT -> clientMaxWindowBits;
        };
    }

    private static void checkWindowBits(int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be 8 to 15: " + bits);
        }
    }
}
