package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

/**
 * The engine's {@link MessageEncoder} for WebSocket: each message becomes one unmasked frame with FIN
 * set (a server never masks, RFC 6455 section 5.1), encoded once and written as-is to every recipient.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class WebSocketMessageEncoder implements MessageEncoder {
    /** The one instance. */
    public static final WebSocketMessageEncoder INSTANCE = new WebSocketMessageEncoder();

    private WebSocketMessageEncoder() {}

    @Override
    public EncodedMessage text(byte[] utf8) {
        return EncodedMessage.wrap(FrameEncoder.serverFrame(Opcode.TEXT, utf8));
    }

    @Override
    public EncodedMessage binary(byte[] data) {
        return EncodedMessage.wrap(FrameEncoder.serverFrame(Opcode.BINARY, data));
    }
}
