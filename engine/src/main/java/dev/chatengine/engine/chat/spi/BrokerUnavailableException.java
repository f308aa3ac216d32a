package dev.chatengine.engine.chat.spi;

/**
 * A broker call could not be done because the broker's backend is unreachable (for example Redis is
 * down). Nothing was done: the message was not accepted, the name not claimed. The chat service answers
 * the request with the error code {@code unavailable} and the connection stays open.
 */
public final class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
