package dev.chatengine.demo;

import java.net.URI;
import java.util.Optional;

import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.transport.jdk.server.HandshakeLimits;
import dev.chatengine.transport.jdk.server.WebSocketConfig;

import java.time.Clock;
import java.time.InstantSource;
import java.time.Duration;
import java.util.Objects;

/**
 * The demo server's settings: immutable, made by {@link #builder()}, with the engine's and the
 * transport's defaults. {@link ChatDemo} uses {@link #defaults()}; tests override what they need,
 * for example a low rate limit or a short pong wait.
 *
 * <pre>{@code
 * DemoConfig config = DemoConfig.builder().chatHub(HubConfig.builder().sendQueueCapacity(8).build()).build();
 * DemoServer server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0), config);
 * }</pre>
 *
 * @param chatHub       the hub behind {@code /ws}
 * @param rawHub        the hub behind {@code /ws/raw}
 * @param chat          the chat protocol's settings (history, text length, rate limit)
 * @param webSocket     the WebSocket transport's settings for both endpoints (message size, origin policy)
 * @param clock         the clock of the chat's message timestamps
 * @param shutdownGrace longest {@link DemoServer#stop()} waits for clients to finish their close handshakes
 * @param handshakeLimits the handshake and connection limits of both endpoints (they share one count);
 *                      they replace {@code webSocket}'s, and get the hubs' memory budget
 * @param exposure      TLS, who may read {@code /metrics}, trusted proxies
 * @param redis         {@code redis://HOST:PORT} of the Redis the nodes of a cluster share (see the module
 *                      cluster-redis); empty (the default) for a single node with everything in process
 */
public record DemoConfig(HubConfig chatHub, HubConfig rawHub, ChatConfig chat, WebSocketConfig webSocket,
                         InstantSource clock, Duration shutdownGrace, HandshakeLimits handshakeLimits,
                         Exposure exposure, Optional<URI> redis) {

    /** Long enough for a close handshake over a slow link, short enough that Ctrl-C feels immediate. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(3);

    public DemoConfig {
        Objects.requireNonNull(chatHub, "chatHub");
        Objects.requireNonNull(rawHub, "rawHub");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(handshakeLimits, "handshakeLimits");
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(redis, "redis");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative: " + shutdownGrace);
        }
    }

    /** The defaults, as {@code builder().build()}. */
    public static DemoConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link DemoConfig}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private HubConfig chatHub = HubConfig.defaults();
        private HubConfig rawHub = HubConfig.defaults();
        private ChatConfig chat = ChatConfig.defaults();
        private WebSocketConfig webSocket = WebSocketConfig.defaults();
        private InstantSource clock = Clock.systemUTC();
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private HandshakeLimits handshakeLimits = HandshakeLimits.defaults();
        private Exposure exposure = Exposure.defaults();
        private Optional<URI> redis = Optional.empty();

        private Builder() {
        }

        public Builder chatHub(HubConfig config) {
            this.chatHub = config;
            return this;
        }

        public Builder rawHub(HubConfig config) {
            this.rawHub = config;
            return this;
        }

        public Builder chat(ChatConfig config) {
            this.chat = config;
            return this;
        }

        public Builder webSocket(WebSocketConfig config) {
            this.webSocket = config;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = grace;
            return this;
        }

        public Builder handshakeLimits(HandshakeLimits limits) {
            this.handshakeLimits = limits;
            return this;
        }

        Builder exposure(Exposure exposure) {
            this.exposure = exposure;
            return this;
        }

        /** Join the cluster of nodes sharing the Redis at {@code uri} ({@code redis://HOST:PORT}). */
        public Builder redis(URI uri) {
            this.redis = Optional.of(uri);
            return this;
        }

        public DemoConfig build() {
            return new DemoConfig(chatHub, rawHub, chat, webSocket, clock, shutdownGrace, handshakeLimits, exposure, redis);
        }
    }
}
