package dev.chatengine.engine.testing;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

import java.nio.charset.StandardCharsets;

/**
 * A {@link MessageEncoder} for tests whose wire form is the payload itself, so that
 * {@link InMemoryConnection} can record what was written as plain strings. Thread-safe.
 */
public final class IdentityEncoder implements MessageEncoder {

    public static final IdentityEncoder INSTANCE = new IdentityEncoder();

    private IdentityEncoder() {
    }

    @Override
    public EncodedMessage text(byte[] utf8) {
        return EncodedMessage.wrap(utf8.clone());
    }

    @Override
    public EncodedMessage binary(byte[] data) {
        return EncodedMessage.wrap(data.clone());
    }

    /** The text an identity-encoded message carries. */
    public static String decode(EncodedMessage message) {
        return new String(message.wireBytes(), StandardCharsets.UTF_8);
    }
}
