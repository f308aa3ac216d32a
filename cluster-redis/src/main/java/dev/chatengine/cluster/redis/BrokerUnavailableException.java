package dev.chatengine.cluster.redis;

/**
 * Redis could not be reached (or did not answer in time): what was asked was not done. A chat message
 * refused this way gets the error {@code unavailable}, never a silent drop.
 */
public final class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
