package dev.chatengine.transport.jdk.server;


import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link WebSocketHandler}, immutable, made by {@link #builder()} with safe defaults:
 *
 * <pre>{@code
 * WebSocketConfig config = WebSocketConfig.builder()
 *         .maxMessageBytes(16 * 1024)
 *         .originPolicy(OriginPolicy.sameHostOrAllowlist(Set.of("https://chat.example.com")))
 *         .build();
 * }</pre>
 *
 * @param maxMessageBytes     the largest message, after reassembly of fragments, a peer may send;
 *                            a larger one is refused with close code 1009 before it is read whole
 * @param closeTimeout        how long to wait for the peer's answer to our close frame before the
 *                            socket is cut off; for a connection served by a {@code Hub}, the hub's
 *                            {@code HubConfig.closeTimeout} cuts it too, so the shorter of the two wins:
 *                            give both the same value ({@link ChatServer} sets both from its one
 *                            {@code closeTimeout})
 * @param originPolicy        which browser origins may connect (a rejected one gets 403)
 * @param subprotocolSelector picks the subprotocol from the client's offer
 * @param readBufferBytes     the read buffer of a connection while data flows; an idle connection
 *                            keeps only a small one of {@value #IDLE_READ_BUFFER_BYTES} bytes
 * @param tcpNoDelay          sets {@code TCP_NODELAY} on each upgraded socket, so that small messages
 *                            are not held back by Nagle's algorithm ({@code HttpServer} leaves it off)
 * @param handshakeHook       the application's check of each handshake (authentication, admission),
 *                            run after the origin policy and the subprotocol selection; see {@link HandshakeHook}
 * @param connectionGate      admits handshakes by the {@link HandshakeLimits} given to the builder and
 *                            counts connections; handlers made with the same config share it
 * @param deflate             permessage-deflate (RFC 7692): on by default, answering every offer with
 *                            no context takeover either way so that a broadcast is compressed once
 *                            for all and an idle connection holds no zlib memory; messages under
 *                            {@link DeflateConfig#thresholdBytes()} go uncompressed.
 *                            {@link DeflateConfig#disabled()} turns it off
 */
public record WebSocketConfig(int maxMessageBytes, Duration closeTimeout, OriginPolicy originPolicy,
                              SubprotocolSelector subprotocolSelector, int readBufferBytes, boolean tcpNoDelay,
                              HandshakeHook handshakeHook, ConnectionGate connectionGate, DeflateConfig deflate) {

    /** Default {@link #maxMessageBytes}: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /** Default {@link #closeTimeout}: 5 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #readBufferBytes}: 16 KiB, a few socket reads for the default largest message. */
    public static final int DEFAULT_READ_BUFFER_BYTES = 16 * 1024;
    /** The read buffer an idle connection keeps: enough for a small message in one read. */
    public static final int IDLE_READ_BUFFER_BYTES = 512;

    /** Validates; prefer {@link #builder()}. */
    public WebSocketConfig {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be positive: " + closeTimeout);
        }
        Objects.requireNonNull(originPolicy, "originPolicy");
        Objects.requireNonNull(subprotocolSelector, "subprotocolSelector");
        Objects.requireNonNull(handshakeHook, "handshakeHook");
        Objects.requireNonNull(deflate, "deflate");
        if (readBufferBytes < IDLE_READ_BUFFER_BYTES) {
            throw new IllegalArgumentException("readBufferBytes must be at least " + IDLE_READ_BUFFER_BYTES
                    + ": " + readBufferBytes);
        }
        Objects.requireNonNull(connectionGate, "connectionGate");
    }

    /** The defaults: same-host origins only, no subprotocol, every handshake accepted anonymously, 64 KiB messages, 5 s close timeout. */
    public static WebSocketConfig defaults() {
        return builder().build();
    }

    /**
     * This config with other handshake limits and a new {@link ConnectionGate} for them (for a
     * server that learns part of its limits late, such as the memory budget of a hub it makes).
     */
    public WebSocketConfig withHandshakeLimits(HandshakeLimits limits) {
        return new WebSocketConfig(maxMessageBytes, closeTimeout, originPolicy, subprotocolSelector, readBufferBytes,
                tcpNoDelay, handshakeHook, ConnectionGate.create(limits), deflate);
    }

    /** This config with another {@link #maxMessageBytes} (for a command line that sets only that). */
    public WebSocketConfig withMaxMessageBytes(int maxMessageBytes) {
        return new WebSocketConfig(maxMessageBytes, closeTimeout, originPolicy, subprotocolSelector, readBufferBytes,
                tcpNoDelay, handshakeHook, connectionGate, deflate);
    }

    /** This config with another {@link #deflate} (for a command line that turns permessage-deflate off). */
    public WebSocketConfig withDeflate(DeflateConfig deflate) {
        return new WebSocketConfig(maxMessageBytes, closeTimeout, originPolicy, subprotocolSelector, readBufferBytes,
                tcpNoDelay, handshakeHook, connectionGate, deflate);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Makes a {@link WebSocketConfig}; each setter replaces one default. Not thread-safe. */
    public static final class Builder {
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private OriginPolicy originPolicy = OriginPolicy.sameHostOrAllowlist(Set.of());
        private SubprotocolSelector subprotocolSelector = SubprotocolSelector.none();
        private int readBufferBytes = DEFAULT_READ_BUFFER_BYTES;
        private boolean tcpNoDelay = true;
        private HandshakeHook handshakeHook = HandshakeHook.acceptAll();
        private HandshakeLimits handshakeLimits;
        private DeflateConfig deflate = DeflateConfig.defaults();

        private Builder() {
        }

        /** See {@link WebSocketConfig#maxMessageBytes()}. */
        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** See {@link WebSocketConfig#closeTimeout()}. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** See {@link WebSocketConfig#originPolicy()}. */
        public Builder originPolicy(OriginPolicy originPolicy) {
            this.originPolicy = originPolicy;
            return this;
        }

        /** See {@link WebSocketConfig#subprotocolSelector()}. */
        public Builder subprotocolSelector(SubprotocolSelector subprotocolSelector) {
            this.subprotocolSelector = subprotocolSelector;
            return this;
        }

        /** See {@link WebSocketConfig#readBufferBytes()}. */
        public Builder readBufferBytes(int readBufferBytes) {
            this.readBufferBytes = readBufferBytes;
            return this;
        }

        /** See {@link WebSocketConfig#tcpNoDelay()}. */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /** See {@link WebSocketConfig#handshakeHook()}. */
        public Builder handshakeHook(HandshakeHook handshakeHook) {
            this.handshakeHook = handshakeHook;
            return this;
        }

        /**
         * See {@link HandshakeLimits}; by default {@link HandshakeLimits#defaults()}. The config made
         * gets a new {@link ConnectionGate} for them.
         */
        public Builder handshakeLimits(HandshakeLimits handshakeLimits) {
            this.handshakeLimits = Objects.requireNonNull(handshakeLimits, "handshakeLimits");
            return this;
        }

        /** See {@link WebSocketConfig#deflate()}. */
        public Builder deflate(DeflateConfig deflate) {
            this.deflate = deflate;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} for an invalid value. */
        public WebSocketConfig build() {
            return new WebSocketConfig(maxMessageBytes, closeTimeout, originPolicy, subprotocolSelector,
                    readBufferBytes, tcpNoDelay, handshakeHook,
                    ConnectionGate.create(handshakeLimits != null ? handshakeLimits : HandshakeLimits.defaults()),
                    deflate);
        }
    }
}
