package dev.chatengine.transport.jdk.protocol;

import java.nio.ByteBuffer;

/** STUB: pure, stateful per connection; server role (client frames must be masked). */
public final class WebSocketDecoder {
    public WebSocketDecoder(Role role, int maxMessageBytes) {
    }

    /**
     * Consumes bytes from {@code in} (flipped for reading) and returns the next event, or null when
     * more bytes are needed (the unconsumed bytes stay in {@code in}; compact and refill it).
     */
    public ReadEvent next(ByteBuffer in) throws ProtocolException {
        throw new UnsupportedOperationException("TODO codec");
    }
}
