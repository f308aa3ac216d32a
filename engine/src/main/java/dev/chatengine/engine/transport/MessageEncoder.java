package dev.chatengine.engine.transport;

import java.nio.charset.StandardCharsets;

/**
 * Turns a message into its transport's wire form, once; the hub uses the transport's encoder for
 * every broadcast and every reply. Thread-safe and stateless in every implementation.
 */
public interface MessageEncoder {

    /** Encodes a text message whose payload is {@code utf8}, which must be valid UTF-8 and is not kept. */
    EncodedMessage text(byte[] utf8);

    /** Encodes a binary message; {@code data} is not kept. */
    EncodedMessage binary(byte[] data);

    /** Encodes a text message from a string. */
    default EncodedMessage text(String text) {
        return text(text.getBytes(StandardCharsets.UTF_8));
    }
}
