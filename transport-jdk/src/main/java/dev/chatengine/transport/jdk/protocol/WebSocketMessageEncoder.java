package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

/** STUB: the engine's encoder for WebSocket: one unmasked frame per message. */
public final class WebSocketMessageEncoder implements MessageEncoder {
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
