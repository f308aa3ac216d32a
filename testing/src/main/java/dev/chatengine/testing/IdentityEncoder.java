package dev.chatengine.testing;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

import java.nio.charset.StandardCharsets;

/**
 * A {@link MessageEncoder} for tests whose wire form is the payload itself, so that
 * {@link InMemoryConnection} can record what was written as plain strings. Give it to the hub of an
 * in-memory test: {@code Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE)}. Thread-safe.
 */
public final class IdentityEncoder implements MessageEncoder {

    /** The one instance. */
    public static final IdentityEncoder INSTANCE = new IdentityEncoder();

    private IdentityEncoder() {
    }

    /** The message whose wire bytes are {@code utf8} itself (copied). */
    @Override
    public EncodedMessage text(byte[] utf8) {
        return EncodedMessage.wrap(utf8.clone());
    }

    /** The message whose wire bytes are {@code data} itself (copied). */
    @Override
    public EncodedMessage binary(byte[] data) {
        return EncodedMessage.wrap(data.clone());
    }

    /** The text an identity-encoded message carries. */
    public static String decode(EncodedMessage message) {
        return new String(message.wireBytes(), StandardCharsets.UTF_8);
    }
}
