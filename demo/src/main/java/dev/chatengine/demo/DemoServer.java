package dev.chatengine.demo;

import dev.chatengine.cluster.redis.RedisBroker;
import dev.chatengine.cluster.redis.RedisClusterConfig;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.transport.jdk.server.AcceptGuard;
import dev.chatengine.transport.jdk.server.HandshakeLimits;
import dev.chatengine.transport.jdk.server.HttpServerProperties;
import dev.chatengine.transport.jdk.server.WebSocketConfig;
import dev.chatengine.transport.jdk.server.WebSocketHandler;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The chat demo on the JDK's {@link HttpServer}: the page, the chat protocol on {@code /ws}, the
 * gorilla-style broadcast on {@code /ws/raw}, {@code /healthz} and {@code /metrics}. Each
 * WebSocket endpoint has its own {@link Hub}, so their clients and metrics stay apart.
 *
 * <pre>{@code
 * DemoServer server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
 * URI page = server.baseUri();          // http://127.0.0.1:PORT/
 * ...
 * server.stop();                        // WebSockets get 1001, then the listener closes
 * }</pre>
 *
 * <p>Thread-safe. Every exchange, and so every WebSocket session, runs on its own virtual thread
 * ({@link Executors#newVirtualThreadPerTaskExecutor()}): the transport requires it, because an
 * upgraded connection occupies its exchange's thread for the session's life.
 */
public final class DemoServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DemoServer.class.getName());

    /**
     * Pending TCP connections the listener queues (the kernel caps it at net.core.somaxconn). The
     * JDK's default, 50, makes a burst of 1,000 connecting clients retry their SYNs for seconds.
     */
    static final int LISTEN_BACKLOG_CONNECTIONS = 4096;
    /** Longest {@link HttpServer#stop} waits for exchanges still open once every WebSocket was closed. */
    static final int HTTP_STOP_DELAY_SECONDS = 1;
    private static final Duration EXECUTOR_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private final HttpServer http;
    private final ExecutorService executor;
    private final Hub chatHub;
    private final Hub rawHub;
    private final ChatService chatService;
    /** The cluster broker with {@code --redis}, else null (the in-process broker). */
    private final RedisBroker broker;
    private final WebSocketHandler chatSocket;
    private final WebSocketHandler rawSocket;
    private final DemoConfig config;
    private final URI baseUri;
    private final Object stopLock = new Object();
    private boolean stopped;

    private DemoServer(HttpServer http, ExecutorService executor, Hub chatHub, Hub rawHub, ChatService chatService,
                       RedisBroker broker, WebSocketHandler chatSocket, WebSocketHandler rawSocket, DemoConfig config) {
        this.chatService = chatService;
        this.broker = broker;
        this.http = http;
        this.executor = executor;
        this.chatHub = chatHub;
        this.rawHub = rawHub;
        this.chatSocket = chatSocket;
        this.rawSocket = rawSocket;
        this.config = config;
        this.baseUri = URI.create((http instanceof HttpsServer ? "https://" : "http://") + hostForUri(http.getAddress()) + ":" + http.getAddress().getPort() + "/");
    }

    /** Starts a server with {@link DemoConfig#defaults()} on {@code address} (port 0 picks a free port). */
    public static DemoServer start(InetSocketAddress address) throws IOException {
        return start(address, DemoConfig.defaults());
    }

    /**
     * Starts a server on {@code address} (port 0 picks a free port) and returns once it accepts
     * connections.
     *
     * @throws java.net.BindException when the address is in use or not local
     * @throws IllegalStateException  when the JVM lacks the flag the transport needs (the message names it)
     */
    public static DemoServer start(InetSocketAddress address, DemoConfig config) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        HandshakeLimits limits = withMaxConnections(config.handshakeLimits(), config.exposure())
                .withTrustedProxies(trustedProxies(config.exposure()));
        // HttpServer reads its own limits once, at its first create: set them before (HttpServerProperties).
        HttpServerProperties.apply(limits);
        SSLContext tls = config.exposure().tlsKeystore().isPresent()
                ? DemoTls.context(config.exposure().tlsKeystore().get(), config.exposure().tlsPassword()) : null;
        // Bind first: a busy port then fails before anything else was started (and logged).
        HttpServer http = bind(address, tls);
        AcceptGuard.install(http);
        Hub chatHub = null;
        Hub rawHub = null;
        ExecutorService executor = null;
        RedisBroker broker = null;
        try {
            chatHub = Hub.create(config.chatHub(), WebSocketHandler.messageEncoder());
            rawHub = Hub.create(config.rawHub(), WebSocketHandler.messageEncoder());
            executor = Executors.newVirtualThreadPerTaskExecutor();
            Hub chat = chatHub;
            Hub rawBroadcast = rawHub;
            ChatService.Builder chatBuilder = ChatService.builder(chatHub).config(config.chat()).clock(config.clock());
            if (config.redis().isPresent()) {
                broker = RedisBroker.create(RedisClusterConfig.builder(config.redis().get()).build());
                chatBuilder.broker(broker);
            }
            ChatService chatService = chatBuilder.build();
            RedisBroker clusterBroker = broker;
            RawBroadcastHandler raw = new RawBroadcastHandler(rawHub);
            // One config for both endpoints: they share its ConnectionGate, so the connection cap is the server's.
            // Past either hub's memory budget new upgrades get 503 (the hubs shed their heaviest clients meanwhile).
            java.util.function.BooleanSupplier configured = limits.overMemoryBudget();
            WebSocketConfig webSocket = config.webSocket().withHandshakeLimits(limits.withOverMemoryBudget(
                    () -> chat.isOverMemoryBudget() || rawBroadcast.isOverMemoryBudget() || configured.getAsBoolean()));
            WebSocketHandler chatSocket = WebSocketHandler.create(webSocket, connection -> chat.serve(connection, chatService));
            WebSocketHandler rawSocket = WebSocketHandler.create(webSocket, connection -> rawBroadcast.serve(connection, raw));

            DemoServer server = new DemoServer(http, executor, chatHub, rawHub, chatService, broker, chatSocket, rawSocket,
                    config);
            http.createContext("/", StaticResources.chatPage());
            http.createContext("/ws", Http.exactPath("/ws", chatSocket));
            http.createContext("/ws/raw", Http.exactPath("/ws/raw", rawSocket));
            http.createContext("/healthz", Http.getText("/healthz", Http.TEXT_PLAIN, () -> "ok\n"));
            // Readiness, not liveness: 503 while Redis is unreachable, so an orchestrator routes around this node
            // without restarting it (it keeps its local clients and reconnects by itself).
            http.createContext("/readyz", Http.readiness("/readyz",
                    () -> clusterBroker == null || clusterBroker.isReady(), "Redis is unreachable"));
            http.createContext("/metrics", Http.restricted(config.exposure().metricsToken(),
                    Http.getText("/metrics", PrometheusText.CONTENT_TYPE, server::metricsText)));
            http.setExecutor(executor);
            http.start();
            return server;
        } catch (RuntimeException | Error e) {
            http.stop(0);
            if (chatHub != null) {
                chatHub.shutdown(Duration.ZERO);
            }
            if (rawHub != null) {
                rawHub.shutdown(Duration.ZERO);
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    private static HttpServer bind(InetSocketAddress address, SSLContext tls) throws IOException {
        if (tls == null) {
            return HttpServer.create(address, LISTEN_BACKLOG_CONNECTIONS);
        }
        HttpsServer https = HttpsServer.create(address, LISTEN_BACKLOG_CONNECTIONS);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return https;
    }

    /** {@code --max-connections N}: the WebSocket cap N, HttpServer's hard cap above it by the usual margin. */
    private static HandshakeLimits withMaxConnections(HandshakeLimits limits, Exposure exposure) {
        if (exposure.maxConnections().isEmpty()) {
            return limits;
        }
        int soft = exposure.maxConnections().getAsInt();
        return new HandshakeLimits(limits.headDeadline(), limits.maxHeadBytes(), limits.hardMaxHeadBytes(), soft,
                Math.max(soft + Math.max(8, soft / 9), soft), limits.maxConnectionsPerAddress(),
                limits.handshakesPerSecondPerAddress(), limits.handshakeBurstPerAddress(), limits.exemptLoopback(),
                limits.trustedProxies(), limits.overMemoryBudget(), limits.retryAfter());
    }

    private static Set<InetAddress> trustedProxies(Exposure exposure) throws IOException {
        Set<InetAddress> proxies = new HashSet<>();
        for (String literal : exposure.trustedProxies()) {
            proxies.add(InetAddress.getByName(literal)); // a literal (checked by the command line): no lookup
        }
        return proxies;
    }

    /** The port the server listens on (the real one when it was started with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address, for example {@code http://127.0.0.1:8080/}; a wildcard bind address is given as {@code localhost}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The {@code ws://} address of {@code path} on this server, for example {@code webSocketUri("/ws/raw")}. */
    public URI webSocketUri(String path) {
        return URI.create((baseUri.getScheme().equals("https") ? "wss://" : "ws://") + baseUri.getRawAuthority() + path);
    }

    /** The chat service behind {@code /ws}: its server-side API (announce, kick, online, members). */
    public ChatService chat() {
        return chatService;
    }

    /** The hub behind {@code /ws} (the chat protocol): tests read its clients and drop them. */
    public Hub chatHub() {
        return chatHub;
    }

    /** The cluster broker when started with {@code --redis}. */
    public Optional<RedisBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /** The hub behind {@code /ws/raw}. */
    public Hub rawHub() {
        return rawHub;
    }

    public DemoConfig config() {
        return config;
    }

    /** What {@code /metrics} serves now. */
    public String metricsText() {
        Map<String, MetricsSnapshot> byEndpoint = new LinkedHashMap<>();
        byEndpoint.put("ws", MetricsSnapshot.of(chatHub.metrics()));
        byEndpoint.put("raw", MetricsSnapshot.of(rawHub.metrics()));
        String text = PrometheusText.render(byEndpoint, ChatSnapshot.of(chatService.metrics()));
        return broker == null ? text : text + PrometheusText.broker(broker.metrics());
    }

    /**
     * Stops gracefully: every WebSocket client is closed with 1001 (going away) and given the
     * config's shutdown grace to answer, then the listener closes. Idempotent; safe from a
     * shutdown hook.
     */
    public void stop() {
        synchronized (stopLock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        Duration grace = config.shutdownGrace();
        // Both hubs wait for their close handshakes at the same time, so a stop takes one grace, not two.
        Thread rawShutdown = Thread.ofVirtual().name("demo-raw-shutdown").start(() -> rawHub.shutdown(grace));
        chatHub.shutdown(grace);
        joinQuietly(rawShutdown);
        // Sessions upgraded but not yet handed to a hub (a race with the stop) are closed by the transport.
        chatSocket.closeAll(grace);
        rawSocket.closeAll(grace);
        http.stop(HTTP_STOP_DELAY_SECONDS);
        if (broker != null) {
            broker.close(); // after the hub: the clients' leaves and name releases went to Redis first
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(EXECUTOR_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "some exchanges were still running after stop; interrupting them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostForUri(InetSocketAddress address) {
        if (address.getAddress() == null || address.getAddress().isAnyLocalAddress()) {
            return "localhost";
        }
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
