package dev.chatengine.transport.jdk.server;

/**
 * How a server uses permessage-deflate (RFC 7692), immutable: whether it accepts the extension, which
 * messages it compresses, and whether either side may keep its LZ77 window between messages. Made by
 * {@link #defaults()}, {@link #disabled()} or {@link #builder()}; given to the server through
 * {@code WebSocketConfig.builder().deflate(...)}.
 *
 * <pre>{@code
 * DeflateConfig.builder().thresholdBytes(256).build();   // compress only messages of 256 bytes or more
 * DeflateConfig.disabled();                              // never negotiate permessage-deflate
 * }</pre>
 *
 * <p>The defaults keep memory per connection at zero while idle and let a broadcast be compressed
 * once for all its recipients: the server answers {@code server_no_context_takeover} and
 * {@code client_no_context_takeover} to every offer (RFC 7692 sections 7.1.1.1 and 7.1.1.2 allow it
 * unasked), so no connection keeps a {@code Deflater} or an {@code Inflater} between messages; both
 * are borrowed from small shared pools for the length of one message.
 *
 * @param enabled               accept the extension when a client offers it
 * @param thresholdBytes        messages whose payload is shorter are sent uncompressed (a short
 *                              message gains little and costs a deflate call per send)
 * @param serverContextTakeover when the client does not ask for {@code server_no_context_takeover},
 *                              keep the server's window between messages for a better ratio; costs
 *                              a {@code Deflater} (about 256 KiB of native memory) per such connection
 *                              for its whole life and a compression per message per connection
 *                              instead of one per broadcast
 * @param clientContextTakeover when the client does not ask for {@code client_no_context_takeover},
 *                              let it keep its window; costs an {@code Inflater} (about 40 KiB)
 *                              per such connection for its whole life
 */
public record DeflateConfig(boolean enabled, int thresholdBytes, boolean serverContextTakeover,
                            boolean clientContextTakeover) {

    /** Default {@link #thresholdBytes}: 128 bytes; below it deflate without a shared window saves ~10%. */
    public static final int DEFAULT_THRESHOLD_BYTES = 128;

    /** Validates; prefer {@link #builder()}. */
    public DeflateConfig {
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("thresholdBytes must be >= 0: " + thresholdBytes);
        }
    }

    /** Enabled, {@value #DEFAULT_THRESHOLD_BYTES}-byte threshold, no context takeover either way. */
    public static DeflateConfig defaults() {
        return builder().build();
    }

    /** Never negotiates the extension. */
    public static DeflateConfig disabled() {
        return builder().enabled(false).build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Makes a {@link DeflateConfig}; each setter replaces one default. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private int thresholdBytes = DEFAULT_THRESHOLD_BYTES;
        private boolean serverContextTakeover;
        private boolean clientContextTakeover;

        private Builder() {
        }

        /** See {@link DeflateConfig#enabled()}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** See {@link DeflateConfig#thresholdBytes()}. */
        public Builder thresholdBytes(int thresholdBytes) {
            this.thresholdBytes = thresholdBytes;
            return this;
        }

        /** See {@link DeflateConfig#serverContextTakeover()}. */
        public Builder serverContextTakeover(boolean serverContextTakeover) {
            this.serverContextTakeover = serverContextTakeover;
            return this;
        }

        /** See {@link DeflateConfig#clientContextTakeover()}. */
        public Builder clientContextTakeover(boolean clientContextTakeover) {
            this.clientContextTakeover = clientContextTakeover;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} for an invalid value. */
        public DeflateConfig build() {
            return new DeflateConfig(enabled, thresholdBytes, serverContextTakeover, clientContextTakeover);
        }
    }
}
