package dev.chatengine.transport.jdk.server;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the subprotocol of a new WebSocket (RFC 6455 section 1.9, the
 * {@code Sec-WebSocket-Protocol} header) from the ones the client offers. Set one on
 * {@link WebSocketConfig.Builder#subprotocolSelector}; the default, {@link #none()}, selects nothing,
 * and the 101 response then carries no {@code Sec-WebSocket-Protocol} header.
 *
 * <p>The choice must be one of the offered values (a client fails the connection otherwise); the
 * handler ignores, with a warning, a choice that was not offered. The chosen value is available as
 * {@link WebSocketConnection#subprotocol()}. Implementations must be thread-safe.
 *
 * <pre>{@code
 * SubprotocolSelector.preferring(List.of("chat.v2", "chat.v1"))
 * }</pre>
 */
@FunctionalInterface
public interface SubprotocolSelector {

    /**
     * Picks one of {@code offered} (the client's list, in its order of preference, possibly empty),
     * or returns empty to select none.
     */
    Optional<String> select(List<String> offered);

    /** Selects no subprotocol, whatever the client offers. */
    static SubprotocolSelector none() {
        return offered -> Optional.empty();
    }

    /** Selects the first of {@code supported}, in the server's order of preference, that the client offered. */
    static SubprotocolSelector preferring(List<String> supported) {
        List<String> copy = List.copyOf(supported);
        return offered -> copy.stream().filter(offered::contains).findFirst();
    }
}
