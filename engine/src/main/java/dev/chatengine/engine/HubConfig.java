package dev.chatengine.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The hub's settings: immutable, made by {@link #builder()}, with safe defaults.
 *
 * <pre>{@code
 * HubConfig config = HubConfig.builder().sendQueueCapacity(512).writeTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * @param sendQueueCapacity messages a client's send queue holds before the client is dropped as a slow consumer
 * @param writeTimeout      longest one socket write to a client may block before the client is dropped
 * @param pingPeriod        how often the write pump pings an otherwise quiet client; must be less than {@code pongWait}
 * @param pongWait          longest the hub waits for anything (a message or a pong) from a client before dropping it
 * @param closeTimeout      longest a closing client may take to finish its close handshake before its socket is cut
 * @param maxBatchMessages  most queued messages the write pump hands the transport in one write
 * @param sendQueueBytes    wire bytes a client's send queue holds before the client is dropped as a slow
 *                          consumer (a shared broadcast counts in full in each queue, without a copy; one
 *                          message larger than this is still taken into an empty queue)
 * @param memoryBudgetBytes the most wire bytes all send queues of the hub may hold together, each shared
 *                          message counted once ({@link HubMetrics#queuedBytes()}); past it
 *                          {@link Hub#isOverMemoryBudget()} is true (a transport refuses new connections) and
 *                          the clients holding the most are shed ({@link DisconnectReason#MEMORY_BUDGET})
 */
public record HubConfig(int sendQueueCapacity, Duration writeTimeout, Duration pingPeriod, Duration pongWait,
                        Duration closeTimeout, int maxBatchMessages, long sendQueueBytes, long memoryBudgetBytes) {

    /**
     * 256 messages: gorilla's chat example's figure. The queue holds references to shared encoded
     * messages, so it costs 1 KiB of slots per client whatever the message size; 256 messages absorb a
     * burst of several seconds of a busy room while a healthy client's write pump catches up.
     */
    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 256;
    /** 10 s, gorilla's writeWait: a single write to a healthy peer takes microseconds, so this only catches dead ones. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** pongWait * 9 / 10, as in gorilla: a ping must have time to come back before the wait ends. */
    public static final Duration DEFAULT_PING_PERIOD = Duration.ofSeconds(54);
    /** 60 s, gorilla's pongWait: long enough for mobile clients, short enough to reclaim vanished ones within a minute or so. */
    public static final Duration DEFAULT_PONG_WAIT = Duration.ofSeconds(60);
    /** 5 s for the peer to answer our close frame before the socket is cut (RFC 6455 7.1.1 leaves it to the server). */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * 64 messages per write: at 64-byte chat messages one socket write of about 4 KiB, which amortises
     * the system call without delaying the first message of a batch.
     */
    public static final int DEFAULT_MAX_BATCH_MESSAGES = 64;
    /**
     * 1 MiB: a few times the transport's default largest message (64 KiB) and at least 1 MiB, so
     * that a burst of large replies fits, while 1,000 clients that stop reading hold at most 1 GiB
     * between them only if nobody else's budget stops them first ({@link #memoryBudgetBytes}).
     */
    public static final long DEFAULT_SEND_QUEUE_BYTES = 1L << 20;
    /** The smallest default memory budget, for small heaps: 16 MiB. */
    public static final long MIN_DEFAULT_MEMORY_BUDGET_BYTES = 16L << 20;

    /**
     * The default memory budget: a quarter of the JVM's maximum heap ({@link Runtime#maxMemory()}),
     * at least {@link #MIN_DEFAULT_MEMORY_BUDGET_BYTES}: queued messages may take that much, and the
     * other three quarters are left to rooms, history, buffers and the garbage collector's headroom.
     */
    public static long defaultMemoryBudgetBytes() {
        return Math.max(MIN_DEFAULT_MEMORY_BUDGET_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Checks every value: capacities at least 1, durations positive, ping period below pong wait. */
    public HubConfig {
        if (sendQueueCapacity < 1) {
            throw new IllegalArgumentException("sendQueueCapacity must be at least 1: " + sendQueueCapacity);
        }
        if (maxBatchMessages < 1) {
            throw new IllegalArgumentException("maxBatchMessages must be at least 1: " + maxBatchMessages);
        }
        if (sendQueueBytes < 1) {
            throw new IllegalArgumentException("sendQueueBytes must be at least 1: " + sendQueueBytes);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memoryBudgetBytes must be at least 1: " + memoryBudgetBytes);
        }
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(pingPeriod, "pingPeriod");
        requirePositive(pongWait, "pongWait");
        requirePositive(closeTimeout, "closeTimeout");
        if (pingPeriod.compareTo(pongWait) >= 0) {
            throw new IllegalArgumentException("pingPeriod (" + pingPeriod + ") must be less than pongWait (" + pongWait + ")");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** The defaults, as {@code builder().build()}. */
    public static HubConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this config's values, to change a few. */
    public Builder toBuilder() {
        return new Builder().sendQueueCapacity(sendQueueCapacity).writeTimeout(writeTimeout).pingPeriod(pingPeriod)
                .pongWait(pongWait).closeTimeout(closeTimeout).maxBatchMessages(maxBatchMessages)
                .sendQueueBytes(sendQueueBytes).memoryBudgetBytes(memoryBudgetBytes);
    }

    /** Builds a {@link HubConfig}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private int sendQueueCapacity = DEFAULT_SEND_QUEUE_CAPACITY;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration pingPeriod = DEFAULT_PING_PERIOD;
        private Duration pongWait = DEFAULT_PONG_WAIT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int maxBatchMessages = DEFAULT_MAX_BATCH_MESSAGES;
        private long sendQueueBytes = DEFAULT_SEND_QUEUE_BYTES;
        private long memoryBudgetBytes = defaultMemoryBudgetBytes();

        private Builder() {
        }

        /** Messages a client's queue holds before it is dropped as a slow consumer; at least 1. */
        public Builder sendQueueCapacity(int messages) {
            this.sendQueueCapacity = messages;
            return this;
        }

        /** Longest one write may block before the client is dropped ({@link DisconnectReason#WRITE_TIMEOUT}). */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = timeout;
            return this;
        }

        /** How often the write pump pings; must be less than the pong wait (gorilla uses 9/10 of it). */
        public Builder pingPeriod(Duration period) {
            this.pingPeriod = period;
            return this;
        }

        /** Longest silence (no message, no pong) before the client is dropped ({@link DisconnectReason#IDLE_TIMEOUT}). */
        public Builder pongWait(Duration wait) {
            this.pongWait = wait;
            return this;
        }

        /** Longest a closing client may take before its connection is cut; also {@link Hub#close()}'s grace. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Most messages handed to the transport in one write; at least 1. */
        public Builder maxBatchMessages(int messages) {
            this.maxBatchMessages = messages;
            return this;
        }

        /** Wire bytes a client's queue holds before it is dropped as a slow consumer; at least 1. */
        public Builder sendQueueBytes(long bytes) {
            this.sendQueueBytes = bytes;
            return this;
        }

        /** The most bytes all queues may hold together (shared messages once) before clients are shed; at least 1. */
        public Builder memoryBudgetBytes(long bytes) {
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} if a value is out of range (see the record's rules). */
        public HubConfig build() {
            return new HubConfig(sendQueueCapacity, writeTimeout, pingPeriod, pongWait, closeTimeout, maxBatchMessages,
                    sendQueueBytes, memoryBudgetBytes);
        }
    }
}
