package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.MessageEncoder;
import dev.chatengine.transport.jdk.protocol.DeflateNegotiation;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Serves WebSockets (RFC 6455) on a context of the JDK's {@code HttpServer} or {@code HttpsServer}:
 * validates each opening handshake, answers 101, and runs {@code onConnection} with the new
 * {@link WebSocketConnection} for the whole session.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
 * Hub hub = Hub.create(HubConfig.defaults(), WebSocketHandler.messageEncoder());
 * WebSocketHandler ws = WebSocketHandler.create(WebSocketConfig.defaults(), connection -> hub.serve(connection, handler));
 * server.createContext("/ws", ws);
 * server.start();
 * ...
 * ws.refuseNewSessions();              // 503 to new handshakes
 * hub.shutdown(Duration.ofSeconds(5));  // 1001 to every client, then wait for them
 * ws.closeAll(Duration.ofSeconds(1));   // sessions not (yet) in the hub
 * server.stop(0);
 * }</pre>
 *
 * <p>{@link ChatServer} does all of this for the common case.
 *
 * <p>Threads: {@code onConnection} runs on a virtual thread started for the session
 * ({@code websocket-session}), which it may block for the session's lifetime (it reads the
 * connection until {@code Closed}); when it returns, the session ends. The exchange's own thread
 * returns at once: a platform thread (the server's default executor runs handlers on its single
 * dispatcher thread) is never blocked, and the server's per-exchange objects and stack frames on
 * that thread, with their buffers, are freed instead of living as long as the session (an idle
 * WebSocket's memory is mostly what it keeps reachable). A virtual-thread-per-task executor for the
 * server is still the right choice for its other exchanges. This class is thread-safe.
 *
 * <p>Handshake answers: 405 for a method other than GET; 400 for another HTTP version than 1.1, a
 * missing {@code Host}, missing {@code Upgrade: websocket} or {@code Connection: Upgrade} tokens, a
 * request body, or a {@code Sec-WebSocket-Key} that is not base64 of 16 bytes; 426 with
 * {@code Sec-WebSocket-Version: 13} for another version; 403 for an origin the
 * {@link OriginPolicy} refuses; 503 after {@link #closeAll}; and whatever the application's
 * {@link HandshakeHook} answers (401, 403, 429, ...; 500 when it throws). Each with a one-line
 * plain-text reason.
 *
 * <p>Order of the checks: 503 while shutting down, then the {@link ConnectionGate}'s limits, then RFC 6455's rules (405, 400, 426), then the
 * {@link OriginPolicy} (403), then the {@link SubprotocolSelector} chooses, then the
 * {@link HandshakeHook} runs (on the exchange's thread: it may block) and its accept carries the
 * peer's principal and attributes into the {@link WebSocketConnection}, so to the engine's
 * {@code Client}. Nothing is written to the peer before all of them have passed: every refusal
 * comes instead of the 101, never after it.
 *
 * <p>The config's {@link ConnectionGate} applies the {@link HandshakeLimits}: 414/431 for
 * an oversize head, 503 or 429 with {@code Retry-After} over a connection cap, a per-address rate or
 * the memory budget. The limits {@code HttpServer} enforces itself (head deadline, hard head size,
 * hard connection cap) come from system properties it reads once: call
 * {@link HttpServerProperties#apply} before the JVM's first {@code HttpServer.create}; {@link #create}
 * logs a WARNING when they are weaker than the config's.
 *
 * <p>A session keeps only what it needs of its handshake: the remote address (the client's, behind a
 * trusted proxy), the request's path without its query, a few headers ({@link #KEPT_HEADERS}) and
 * the subprotocol. Read anything else (cookies, the query) while the handshake is in progress.
 *
 * <p>Needs the JVM flag {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED} (see
 * {@link JdkExchangeTakeover} for why); {@link #create} fails without it. Don't wrap the exchange
 * in a filter that replaces it ({@link com.sun.net.httpserver.Filter}s that only observe are fine).
 */
public final class WebSocketHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(WebSocketHandler.class.getName());

    /** The request headers a session keeps, copied; the rest of the request is dropped at the upgrade. */
    public static final List<String> KEPT_HEADERS = List.of("Host", "Origin", "User-Agent", "Sec-WebSocket-Protocol");

    /** How long {@link #closeAll} waits for aborted sessions to end, after the grace. */
    private static final Duration ABORTED_SESSIONS_WAIT = Duration.ofSeconds(2);

    private final WebSocketConfig config;
    private final Consumer<? super WebSocketConnection> onConnection;
    private final Set<WebSocketConnection> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Session threads that have not ended: counted from before the 101 is written,
     * so that {@link #closeAll} cannot return between a client's 101 and its session's registration.
     * Guarded by {@link #sessionEnded}.
     */
    private int sessionThreads;
    /** Notified when a session ends, for {@link #closeAll}. */
    private final Object sessionEnded = new Object();
    private volatile boolean shuttingDown;

    private WebSocketHandler(WebSocketConfig config, Consumer<? super WebSocketConnection> onConnection) {
        this.config = Objects.requireNonNull(config, "config");
        this.onConnection = Objects.requireNonNull(onConnection, "onConnection");
    }

    /**
     * A handler that runs {@code onConnection} for each new WebSocket, on the session's virtual
     * thread, for the session's lifetime; mount it with {@code server.createContext(path, handler)}.
     *
     * @throws IllegalStateException when the JVM lacks
     *         {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED} (the message names it)
     */
    public static WebSocketHandler create(WebSocketConfig config, Consumer<? super WebSocketConnection> onConnection) {
        JdkExchangeTakeover.requireAccess();
        HttpServerProperties.warnIfWeaker(config.connectionGate().limits());
        TakeoverSelfTest.requirePassed();
        return new WebSocketHandler(config, onConnection);
    }

    /** Called by {@code HttpServer} for each request on the handler's context. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (shuttingDown) {
            reject(exchange, new UpgradeCheck.Reject(503, "server is shutting down"));
            return;
        }
        ConnectionGate.Admitted admitted;
        switch (config.connectionGate().admit(exchange)) {
            case UpgradeCheck.Reject reject -> {
                reject(exchange, reject);
                return;
            }
            case ConnectionGate.Admitted a -> admitted = a;
        }
        boolean started = false;
        try {
            boolean secure = exchange instanceof HttpsExchange;
            switch (UpgradeCheck.evaluate(exchange.getRequestMethod(), exchange.getProtocol(),
                    exchange.getRequestHeaders(), secure, config)) {
                case UpgradeCheck.Reject reject -> reject(exchange, reject);
                case UpgradeCheck.Accept accept -> {
                    switch (askHook(exchange, accept, admitted)) {
                        case HandshakeDecision.Reject reject ->
                                reject(exchange, new UpgradeCheck.Reject(reject.status(), reject.reason(), reject.headers()));
                        case HandshakeDecision.Accept identity -> {
                            // Never the exchange's own thread: see the class comment.
                            Thread.ofVirtual().name("websocket-session")
                                    .start(() -> runSession(exchange, accept, identity, admitted));
                            started = true;
                        }
                    }
                }
            }
        } finally {
            if (!started) {
                admitted.release();
            }
        }
    }

    /**
     * Runs the application's {@link HandshakeHook} on this (the exchange's) thread, after the
     * protocol checks, the origin policy and the subprotocol choice; a hook that fails is a 500.
     */
    private HandshakeDecision askHook(HttpExchange exchange, UpgradeCheck.Accept accept, ConnectionGate.Admitted admitted) {
        InetSocketAddress peer = exchange.getRemoteAddress();
        InetSocketAddress client = admitted.client().equals(peer.getAddress()) ? peer
                : new InetSocketAddress(admitted.client(), 0); // named by a trusted proxy's X-Forwarded-For
        HandshakeRequest request = new HandshakeRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
                exchange.getRequestHeaders(), client,
                exchange instanceof HttpsExchange https ? Optional.ofNullable(https.getSSLSession()) : Optional.empty(),
                accept.subprotocol());
        try {
            HandshakeDecision decision = config.handshakeHook().onHandshake(request);
            if (decision != null) {
                return decision;
            }
            LOG.log(Level.WARNING, "HandshakeHook returned null for " + exchange.getRemoteAddress() + "; answering 500");
        } catch (Exception | LinkageError e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.WARNING, "HandshakeHook failed for " + exchange.getRemoteAddress() + "; answering 500", e);
        }
        return HandshakeDecision.reject(500, "handshake check failed");
    }

    /**
     * This transport's {@link MessageEncoder}, for {@code Hub.create(config, WebSocketHandler.messageEncoder())}:
     * it encodes each message once as a complete WebSocket frame, which the hub then shares among
     * every recipient. Thread-safe.
     */
    public static MessageEncoder messageEncoder() {
        return WebSocketMessageEncoder.INSTANCE;
    }

    /**
     * Refuses new handshakes from now on (503, "server is shutting down"), leaving the open sessions
     * be: the first step of a graceful shutdown, before the hub closes its clients. {@link #closeAll}
     * does it too.
     */
    public void refuseNewSessions() {
        shuttingDown = true;
    }

    /** The number of sessions running now. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Closes every session with 1001 (going away) and waits up to {@code grace} for them to end;
     * sessions still open then are aborted. Refuses new handshakes from now on (503). Call before
     * {@code HttpServer.stop}, which otherwise waits its whole delay while clients see 1006.
     * Blocking; callable from any thread.
     */
    public void closeAll(Duration grace) {
        shuttingDown = true;
        for (WebSocketConnection session : List.copyOf(sessions)) {
            // One thread each: a session whose write is stuck on a slow peer must not delay the others.
            Thread.ofVirtual().name("websocket-close-all").start(() -> session.close(DisconnectReason.SHUTDOWN));
        }
        if (!awaitNoSessions(grace)) {
            LOG.log(Level.INFO, () -> sessions.size() + " WebSocket sessions did not end within " + grace + "; aborting them");
            List.copyOf(sessions).forEach(WebSocketConnection::abort);
            awaitNoSessions(ABORTED_SESSIONS_WAIT);
        }
    }

    private boolean awaitNoSessions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sessionEnded) {
            while (!sessions.isEmpty() || sessionThreads > 0) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    return false;
                }
                try {
                    sessionEnded.wait(leftMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void runSession(HttpExchange exchange, UpgradeCheck.Accept accept, HandshakeDecision.Accept identity,
                            ConnectionGate.Admitted admitted) {
        synchronized (sessionEnded) {
            sessionThreads++;
        }
        WebSocketConnection connection = null;
        try {
            connection = upgrade(exchange, accept, identity, admitted);
            sessions.add(connection);
            if (shuttingDown) {
                connection.close(DisconnectReason.SHUTDOWN); // closeAll ran while this one was handshaking
            }
            boolean failed = false;
            try {
                onConnection.accept(connection);
            } catch (RuntimeException e) {
                failed = true;
                LOG.log(Level.WARNING, "WebSocket session callback failed for " + connection, e);
            }
            connection.endSession(failed);
        } catch (IOException e) {
            // The peer went away during its upgrade: its business, not the server's.
            LOG.log(Level.DEBUG, () -> "WebSocket upgrade failed, " + admitted.formatted() + ": " + e);
        } catch (RuntimeException e) {
            // The takeover of HttpServer's internals failed: loud, it may leak the server's exchange counts.
            LOG.log(Level.WARNING, "WebSocket takeover failed, " + admitted.formatted(), e);
        } finally {
            admitted.release();
            if (connection != null) {
                connection.abort();
                sessions.remove(connection);
            }
            synchronized (sessionEnded) {
                sessionThreads--;
                sessionEnded.notifyAll();
            }
            try {
                JdkExchangeTakeover.release(exchange);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "WebSocket exchange release failed: " + e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "WebSocket exchange release failed; HttpServer's exchange count may leak", e);
            }
        }
    }

    /**
     * Takes the connection over, answers 101 and makes the session's connection; closes the socket
     * when that fails. The server's buffered streams are used only in here: for plain HTTP they are
     * detached before returning, so that no frame of the session keeps them reachable.
     */
    private WebSocketConnection upgrade(HttpExchange exchange, UpgradeCheck.Accept accept,
                                        HandshakeDecision.Accept identity, ConnectionGate.Admitted admitted)
            throws IOException {
        JdkExchangeTakeover.RawConnection raw = JdkExchangeTakeover.takeOver(exchange);
        Optional<DeflateNegotiation.Accepted> deflate = negotiateDeflate(exchange);
        try {
            Wire wire;
            byte[] pipelined;
            if (config.tcpNoDelay()) {
                raw.channel().setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (raw.tls()) {
                wire = new Wire.StreamWire(raw.in(), raw.out(), raw.channel());
                pipelined = new byte[0]; // still inside the TLS input stream, which the session reads
                writeSwitchingProtocols(raw.out(), accept, deflate);
            } else {
                // Bytes the client sent right behind the handshake sit in the server's buffered stream,
                // which available() reports without touching the socket.
                pipelined = raw.in().readNBytes(raw.in().available());
                wire = new Wire.ChannelWire(raw.channel());
                writeSwitchingProtocols(raw.out(), accept, deflate);
                JdkExchangeTakeover.detachStreams(exchange);
            }
            URI path = keptUri(exchange.getRequestURI());
            Headers headers = keptHeaders(exchange.getRequestHeaders());
            JdkExchangeTakeover.forgetRequest(exchange);
            return new WebSocketConnection(wire, config, pipelined, admitted.formatted(), path, headers,
                    accept.subprotocol(), identity, deflate.map(DeflateNegotiation.Accepted::parameters));
        } catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** permessage-deflate's answer to the client's offers (RFC 7692), if any: see {@link DeflateNegotiation}. */
    private Optional<DeflateNegotiation.Accepted> negotiateDeflate(HttpExchange exchange) {
        DeflateConfig deflate = config.deflate();
        if (!deflate.enabled()) {
            return Optional.empty();
        }
        return switch (DeflateNegotiation.negotiate(exchange.getRequestHeaders().get("Sec-WebSocket-Extensions"),
                deflate.serverContextTakeover(), deflate.clientContextTakeover())) {
            case DeflateNegotiation.Accepted accepted -> Optional.of(accepted);
            case DeflateNegotiation.Declined declined -> {
                LOG.log(Level.DEBUG, () -> "permessage-deflate not used, " + declined.reason() + ": " + exchange.getRemoteAddress());
                yield Optional.empty();
            }
        };
    }

    private static void writeSwitchingProtocols(OutputStream out, UpgradeCheck.Accept accept,
                                                Optional<DeflateNegotiation.Accepted> deflate) throws IOException {
        StringBuilder response = new StringBuilder(160)
                .append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(accept.acceptValue()).append("\r\n");
        accept.subprotocol().ifPresent(p -> response.append("Sec-WebSocket-Protocol: ").append(p).append("\r\n"));
        deflate.ifPresent(d -> response.append("Sec-WebSocket-Extensions: ").append(d.responseHeader()).append("\r\n"));
        response.append("\r\n");
        out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void reject(HttpExchange exchange, UpgradeCheck.Reject reject) throws IOException {
        LOG.log(Level.DEBUG, () -> "WebSocket handshake rejected, " + reject.status() + " " + reject.reason()
                + ": " + exchange.getRemoteAddress());
        byte[] body = (reject.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        for (Map.Entry<String, String> header : reject.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        exchange.sendResponseHeaders(reject.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void closeQuietly(JdkExchangeTakeover.RawConnection raw) {
        try {
            raw.channel().close();
        } catch (IOException ignored) {
            // The server closes it too when the exchange is released.
        }
    }

    /** The request's path alone, in a URI of its own: never the query, which may be large. */
    private static URI keptUri(URI requestUri) {
        String path = requestUri.getRawPath();
        try {
            return URI.create(path == null || path.isEmpty() ? "/" : path); // already in its encoded form
        } catch (IllegalArgumentException e) {
            return URI.create("/");
        }
    }

    /** Copies of {@link #KEPT_HEADERS}, read-only. */
    private static Headers keptHeaders(Headers request) {
        Headers kept = new Headers();
        for (String name : KEPT_HEADERS) {
            List<String> values = request.get(name);
            if (values != null) {
                values.forEach(value -> kept.add(name, value)); // strings of their own, not views of the head
            }
        }
        return Headers.of(kept);
    }
}
