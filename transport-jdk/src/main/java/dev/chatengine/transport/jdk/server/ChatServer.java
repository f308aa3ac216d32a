package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A WebSocket server for the common case, in one object: it owns the {@link Hub} (encoding with
 * this transport's encoder), a {@link WebSocketHandler} per endpoint, and the JDK
 * {@code HttpServer} with its virtual-thread executor, and {@link #close()} shuts them down in the
 * right order within one deadline.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder()
 *         .port(8080)
 *         .endpoint("/ws", hub -> new ChatService(hub, ChatConfig.defaults(), InstantSource.system()))
 *         .start()) {
 *     ...                                   // serving until closed
 * }                                         // every client gets 1001 "going away"
 * }</pre>
 *
 * <p>Settings: {@link Builder#hub} and {@link Builder#webSocket} adjust the hub's and the
 * transport's configs from their defaults; the close timeout is set only on this builder
 * ({@link Builder#closeTimeout}), which gives the same value to both (the hub's limit for a closing
 * client and the transport's wait for the peer's close answer) and uses it as {@link #close()}'s
 * grace. The handshake hook, origin policy and subprotocol selector are set with
 * {@link Builder#webSocket}, and apply to every endpoint (a hook can tell them apart by
 * {@code request.uri().getPath()}).
 *
 * <p>Its own HTTP server ({@link Builder#port}, {@link Builder#address}, with {@link Builder#tls}
 * for HTTPS) or the caller's ({@link Builder#httpServer}): on the caller's, this object only
 * adds its contexts and removes them on close; starting and stopping that server, its executor
 * (give it a virtual-thread-per-task executor: handshake hooks run on the exchange's thread and may
 * block), its backlog and its other contexts stay the caller's. Each endpoint answers only its
 * exact path (404 below it). The building blocks ({@link Hub}, {@link WebSocketHandler},
 * {@link WebSocketConfig}) stay public for servers that need something else, such as a hub per endpoint.
 *
 * <p>Thread-safe. Needs the JVM flag {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}
 * (see {@link WebSocketHandler}); {@link Builder#start()} fails without it, naming the flag.
 */
public final class ChatServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatServer.class.getName());

    /**
     * Pending TCP connections the listener of a server made here queues (the kernel caps it at
     * {@code net.core.somaxconn}): the JDK's default, 50, makes a burst of a thousand connecting
     * clients retry their SYNs for seconds.
     */
    public static final int DEFAULT_BACKLOG = 4096;
    /** The default {@link Builder#closeTimeout}: the hub's and the transport's default, 5 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = HubConfig.DEFAULT_CLOSE_TIMEOUT;
    /** After the grace, how long {@link #close()} lets cut sessions and exchanges finish before it returns. */
    private static final Duration SETTLE_TIME = Duration.ofSeconds(1);

    private final HttpServer http;
    private final boolean ownsHttp;
    private final ExecutorService executor; // null when the HttpServer is the caller's
    private final Hub hub;
    private final Duration closeTimeout;
    private final Map<String, Endpoint> endpoints;
    private final Object closeLock = new Object();
    private boolean closed;

    private record Endpoint(ClientHandler handler, WebSocketHandler webSockets, HttpContext context) {
    }

    private ChatServer(HttpServer http, boolean ownsHttp, ExecutorService executor, Hub hub, Duration closeTimeout,
                       Map<String, Endpoint> endpoints) {
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.executor = executor;
        this.hub = hub;
        this.closeTimeout = closeTimeout;
        this.endpoints = endpoints;
    }

    /** A builder with the defaults: port 0 on every interface, plain HTTP, no endpoint yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** The hub every endpoint's clients are in: rooms, broadcast, metrics, listeners. */
    public Hub hub() {
        return hub;
    }

    /** The address the server listens on (the real port when it was started with port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * The {@code ws://} (or {@code wss://}) address of the endpoint {@code path}, for example
     * {@code ws://127.0.0.1:8080/ws}; a wildcard bind address is given as the loopback address.
     */
    public URI uri(String path) {
        InetSocketAddress address = http.getAddress();
        InetAddress host = address.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address.getAddress();
        String literal = host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
        return URI.create((http instanceof HttpsServer ? "wss://" : "ws://") + literal + ":" + address.getPort() + path);
    }

    /**
     * The handler of the endpoint {@code path}, as its factory made it, for server code that talks to
     * it: {@code server.handler("/ws", ChatService.class).announce("lobby", "system", "hello")}.
     *
     * @throws IllegalArgumentException when there is no such endpoint, or its handler is not a {@code type}
     */
    public <T extends ClientHandler> T handler(String path, Class<T> type) {
        Endpoint endpoint = endpoints.get(path);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint " + path + "; there are " + endpoints.keySet());
        }
        if (!type.isInstance(endpoint.handler())) {
            throw new IllegalArgumentException("the handler of " + path + " is a " + endpoint.handler().getClass().getName());
        }
        return type.cast(endpoint.handler());
    }

    /**
     * Shuts down gracefully within the close timeout: new handshakes get 503 from now on, every
     * client gets 1001 (going away) and the close timeout to answer, the ones left are cut, then the
     * endpoints are removed and a server made here stops with its executor. Returns after at most
     * the close timeout plus a few seconds for cut connections to settle. Idempotent; safe from a
     * shutdown hook; don't call it from a {@link ClientHandler} callback (that client's pump could
     * not end while it waits).
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        endpoints.values().forEach(endpoint -> endpoint.webSockets().refuseNewSessions());
        hub.shutdown(closeTimeout);
        // Sessions upgraded but not yet handed to the hub (a race with the close) end here.
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), SETTLE_TIME.toNanos()));
        endpoints.values().forEach(endpoint -> endpoint.webSockets().closeAll(left));
        if (ownsHttp) {
            http.stop(0);
            executor.shutdown();
            try {
                if (!executor.awaitTermination(SETTLE_TIME.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.INFO, "exchanges still running after close; interrupting them");
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        } else {
            endpoints.values().forEach(endpoint -> http.removeContext(endpoint.context()));
        }
    }

    @Override
    public String toString() {
        return "ChatServer[" + http.getAddress() + " " + endpoints.keySet() + "]";
    }

    /** Answers only the context's exact path, so that {@code /ws} does not also serve {@code /ws/anything}. */
    private record ExactPath(String path, HttpHandler handler) implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.getRequestBody().close();
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            handler.handle(exchange);
        }
    }

    /** Makes a {@link ChatServer}; not thread-safe. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(0);
        private HttpServer httpServer;
        private SSLContext tls;
        private int backlog = DEFAULT_BACKLOG;
        private Consumer<HubConfig.Builder> hub = b -> { };
        private Consumer<WebSocketConfig.Builder> webSocket = b -> { };
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private final Map<String, Function<? super Hub, ? extends ClientHandler>> endpoints = new LinkedHashMap<>();

        private Builder() {
        }

        /** Listens on {@code port} of every interface (0, the default, picks a free port). */
        public Builder port(int port) {
            return address(new InetSocketAddress(port));
        }

        /** Listens on {@code address}, for example {@code new InetSocketAddress("127.0.0.1", 8080)}. */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Serves HTTPS ({@code wss://}) with {@code context} on the server made here. */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The listen backlog of the server made here; default {@value #DEFAULT_BACKLOG}. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Adds the endpoints to the caller's {@code HttpServer} or {@code HttpsServer} instead of
         * making one; its start, stop, executor and limits stay the caller's (see the class comment).
         */
        public Builder httpServer(HttpServer server) {
            this.httpServer = Objects.requireNonNull(server, "server");
            return this;
        }

        /** Adjusts the hub's config from its defaults, for example {@code hub -> hub.sendQueueCapacity(512)}; not its close timeout. */
        public Builder hub(Consumer<HubConfig.Builder> settings) {
            this.hub = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adjusts the transport's config from its defaults, for example
         * {@code ws -> ws.handshakeHook(tokens).maxMessageBytes(16 * 1024)}; not its close timeout.
         */
        public Builder webSocket(Consumer<WebSocketConfig.Builder> settings) {
            this.webSocket = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The one close timeout: how long a closing client may take to answer our close before its
         * connection is cut (the hub's and the transport's limit), and {@link ChatServer#close()}'s
         * grace. Default 5 s.
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Serves WebSockets on {@code path} (exactly) with the handler {@code factory} makes for the
         * hub, for example {@code hub -> new ChatService(hub, ChatConfig.defaults(), InstantSource.system())}.
         */
        public Builder endpoint(String path, Function<? super Hub, ? extends ClientHandler> factory) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(factory, "factory");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("an endpoint path starts with '/': " + path);
            }
            if (endpoints.putIfAbsent(path, factory) != null) {
                throw new IllegalArgumentException("endpoint " + path + " given twice");
            }
            return this;
        }

        /**
         * Binds (unless given a server), makes the hub and the endpoints, and starts serving.
         *
         * @throws java.net.BindException when the address is in use
         * @throws IllegalStateException  when the JVM lacks the flag the transport needs, or no endpoint was given
         * @throws IllegalArgumentException when a setting is out of range, or a close timeout was set
         *                                  in {@link #hub} or {@link #webSocket} rather than {@link #closeTimeout}
         */
        public ChatServer start() throws IOException {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("no endpoint: add one with endpoint(path, factory)");
            }
            if (httpServer != null && tls != null) {
                throw new IllegalStateException("tls(...) is for the server made here; the given HttpServer has its own");
            }
            HubConfig hubConfig = hubConfig();
            WebSocketConfig webSocketConfig = webSocketConfig();
            JdkExchangeTakeover.requireAccess();

            boolean ownsHttp = httpServer == null;
            HandshakeLimits limits = webSocketConfig.connectionGate().limits();
            if (ownsHttp) {
                HttpServerProperties.apply(limits); // HttpServer reads its own limits once, at its first create
            }
            HttpServer http = ownsHttp ? bind() : httpServer; // bind first: a busy port fails before anything started
            if (ownsHttp) {
                AcceptGuard.install(http);
            }
            ExecutorService executor = ownsHttp ? Executors.newVirtualThreadPerTaskExecutor() : null;
            Hub hub = Hub.create(hubConfig, WebSocketHandler.messageEncoder());
            // New upgrades get 503 while the hub is over its memory budget.
            java.util.function.BooleanSupplier configured = limits.overMemoryBudget();
            webSocketConfig = webSocketConfig.withHandshakeLimits(
                    limits.withOverMemoryBudget(() -> hub.isOverMemoryBudget() || configured.getAsBoolean()));
            List<HttpContext> created = new ArrayList<>();
            try {
                Map<String, Endpoint> made = new LinkedHashMap<>();
                for (Map.Entry<String, Function<? super Hub, ? extends ClientHandler>> entry : endpoints.entrySet()) {
                    ClientHandler handler = Objects.requireNonNull(entry.getValue().apply(hub),
                            "the factory of " + entry.getKey() + " returned null");
                    WebSocketHandler webSockets = WebSocketHandler.create(webSocketConfig,
                            connection -> hub.serve(connection, handler));
                    HttpContext context = http.createContext(entry.getKey(), new ExactPath(entry.getKey(), webSockets));
                    created.add(context);
                    made.put(entry.getKey(), new Endpoint(handler, webSockets, context));
                }
                if (ownsHttp) {
                    http.setExecutor(executor);
                    http.start();
                }
                return new ChatServer(http, ownsHttp, executor, hub, closeTimeout, Map.copyOf(made));
            } catch (RuntimeException | Error e) {
                hub.shutdown(Duration.ZERO);
                if (ownsHttp) {
                    http.stop(0);
                    executor.shutdownNow();
                } else {
                    created.forEach(http::removeContext);
                }
                throw e;
            }
        }

        private HubConfig hubConfig() {
            HubConfig.Builder builder = HubConfig.builder();
            hub.accept(builder);
            if (!builder.build().closeTimeout().equals(HubConfig.DEFAULT_CLOSE_TIMEOUT)) {
                throw new IllegalArgumentException("set the close timeout with ChatServer.Builder.closeTimeout, not in hub(...)");
            }
            return builder.closeTimeout(closeTimeout).build();
        }

        private WebSocketConfig webSocketConfig() {
            WebSocketConfig.Builder builder = WebSocketConfig.builder();
            webSocket.accept(builder);
            if (!builder.build().closeTimeout().equals(WebSocketConfig.DEFAULT_CLOSE_TIMEOUT)) {
                throw new IllegalArgumentException("set the close timeout with ChatServer.Builder.closeTimeout, not in webSocket(...)");
            }
            return builder.closeTimeout(closeTimeout).build();
        }

        private HttpServer bind() throws IOException {
            if (tls == null) {
                return HttpServer.create(address, backlog);
            }
            HttpsServer https = HttpsServer.create(address, backlog);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            return https;
        }
    }
}
