package dev.chatengine.transport.jdk.server;

/**
 * The application's say on each WebSocket opening handshake: authenticate the peer, admit it or
 * refuse it with an HTTP status before any 101, and give it the identity and attributes that the
 * engine's {@code Client} then carries. Set one with {@link WebSocketConfig.Builder#handshakeHook}.
 *
 * <pre>{@code
 * HandshakeHook tokens = request -> request.queryParameter("token")
 *         .flatMap(tokenStore::lookUp)                        // may block: a database, an HTTP call
 *         .<HandshakeDecision>map(user -> HandshakeDecision.accept(user::name, Attributes.of(USER, user)))
 *         .orElseGet(() -> HandshakeDecision.unauthorized("Bearer realm=\"chat\"", "valid token required"));
 * }</pre>
 *
 * <p>Order: a request is refused with 503 while the handler shuts down, then checked against
 * RFC 6455 (method, version, headers, key: 405, 400, 426), then by the
 * {@link OriginPolicy} (403), then its subprotocol is chosen by the {@link SubprotocolSelector};
 * only a request that passed all that reaches the hook, which sees the chosen subprotocol. So a
 * costly check never runs for a malformed request or a foreign page.
 *
 * <p>Threads: runs on the exchange's thread, before the handler answers, so it may block (a
 * token check against a database); give the {@code HttpServer} a virtual-thread-per-task executor
 * (as {@code ChatServer} does), otherwise a blocking hook holds the server's one dispatcher thread.
 * Called for many handshakes at once: must be thread-safe. A hook that throws, or returns null,
 * gets the peer a 500 (logged as a warning); the exception's message is not sent.
 */
@FunctionalInterface
public interface HandshakeHook {

    /** Accepts or rejects the handshake {@code request}; see the class comment for when it runs. */
    HandshakeDecision onHandshake(HandshakeRequest request) throws Exception;

    /** Accepts every handshake, anonymous and without attributes: the default. */
    static HandshakeHook acceptAll() {
        return request -> HandshakeDecision.accept();
    }
}
