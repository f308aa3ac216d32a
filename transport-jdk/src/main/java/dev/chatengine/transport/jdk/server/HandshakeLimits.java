package dev.chatengine.transport.jdk.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Limits on opening handshakes and connections, immutable, made by {@link #builder()} with safe
 * defaults for a server on the open internet:
 *
 * <pre>{@code
 * HandshakeLimits limits = HandshakeLimits.builder()
 *         .trustedProxies(Set.of(InetAddress.getByName("10.0.0.2")))   // honour its X-Forwarded-For
 *         .overMemoryBudget(hub::isOverMemoryBudget)                    // 503 while the hub holds too much
 *         .build();
 * HttpServerProperties.apply(limits);        // before the first HttpServer.create: see that class
 * WebSocketConfig config = WebSocketConfig.builder().handshakeLimits(limits).build();
 * }</pre>
 *
 * <p>Two layers: what the {@link WebSocketHandler} checks itself and answers with a status
 * ({@link #maxHeadBytes} 431, {@link #maxConnections} and {@link #overMemoryBudget} 503 with
 * {@code Retry-After}, the per-address caps 429... see {@link ConnectionGate}), under the hard limits
 * that {@code HttpServer} enforces by closing the connection, which {@link HttpServerProperties}
 * sets from {@link #headDeadline}, {@link #hardMaxHeadBytes} and {@link #hardMaxConnections}.
 *
 * @param headDeadline                the whole request head (request line and headers) must arrive
 *                                    within this time of its first byte, else the connection is cut
 *                                    (by {@code HttpServer}, to whole seconds); a connection that sends
 *                                    nothing is cut after it too
 * @param maxHeadBytes                a head larger than this (request line + headers, counted as
 *                                    {@code HttpServer} does: 32 bytes more per header line) is refused
 *                                    with 431, or 414 when the request line alone is too long
 * @param hardMaxHeadBytes            {@code HttpServer} closes a connection whose head grows past this
 *                                    while it reads it; at least {@link #maxHeadBytes}
 * @param maxConnections              WebSocket connections (sessions and handshakes in progress) of the
 *                                    handlers sharing one {@link ConnectionGate}; over it 503
 * @param hardMaxConnections          connections of every kind {@code HttpServer} keeps open; over it
 *                                    it closes new ones at once, before reading them
 * @param maxConnectionsPerAddress    WebSocket connections from one client address; over it 429
 * @param handshakesPerSecondPerAddress sustained rate of handshakes from one client address; over
 *                                    it (after {@link #handshakeBurstPerAddress}) 429
 * @param handshakeBurstPerAddress    handshakes one address may make at once
 * @param exemptLoopback              loopback clients skip the per-address caps (local load tests, a
 *                                    reverse proxy on the same host)
 * @param trustedProxies              peers whose {@code X-Forwarded-For} names the client; they skip the
 *                                    per-address caps themselves, their clients do not
 * @param overMemoryBudget            true while the server holds more queued bytes than it may (for
 *                                    example {@code hub::isOverMemoryBudget}): new upgrades get 503
 * @param retryAfter                  the {@code Retry-After} of a 503 or 429
 */
public record HandshakeLimits(Duration headDeadline, int maxHeadBytes, int hardMaxHeadBytes, int maxConnections,
                              int hardMaxConnections, int maxConnectionsPerAddress,
                              double handshakesPerSecondPerAddress, int handshakeBurstPerAddress,
                              boolean exemptLoopback, Set<InetAddress> trustedProxies,
                              BooleanSupplier overMemoryBudget, Duration retryAfter) {

    /** Default {@link #headDeadline}: gorilla's chat example uses 3 s; a mobile link may need more. */
    public static final Duration DEFAULT_HEAD_DEADLINE = Duration.ofSeconds(5);
    /** Default {@link #maxHeadBytes}: 16 KiB, twice Jetty's and nginx's 8 KiB, room for big cookies. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    /** Default {@link #hardMaxHeadBytes}: 64 KiB; a head between the two gets its 431 (HttpServer's own default is 380 KiB). */
    public static final int DEFAULT_HARD_MAX_HEAD_BYTES = 64 * 1024;
    /** Default {@link #maxConnectionsPerAddress}: a household or office behind one NAT address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    /** Default {@link #handshakesPerSecondPerAddress}: a reconnecting page needs well under one a second. */
    public static final double DEFAULT_HANDSHAKES_PER_SECOND_PER_ADDRESS = 10;
    /** Default {@link #handshakeBurstPerAddress}: a few tabs reconnecting together after a restart. */
    public static final int DEFAULT_HANDSHAKE_BURST_PER_ADDRESS = 30;
    /** Default {@link #retryAfter}: long enough for a burst to pass, short for a person. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * Heap a connection may cost, for the default connection caps: an idle WebSocket holds ~15-35
     * KiB, a handshake in progress up to ~150 KiB while its head is read, a busy one its send queue.
     */
    static final long HEAP_BYTES_PER_CONNECTION = 64 * 1024;
    /** Descriptors kept for everything else (jars, logs, the listener, epoll, a broker's sockets). */
    static final int RESERVED_FILE_DESCRIPTORS = 64;

    /** Validates; prefer {@link #builder()}. */
    public HandshakeLimits {
        Objects.requireNonNull(headDeadline, "headDeadline");
        if (headDeadline.toMillis() < 1000) {
            throw new IllegalArgumentException("headDeadline must be at least 1 s (HttpServer counts whole seconds): "
                    + headDeadline);
        }
        requirePositive(maxHeadBytes, "maxHeadBytes");
        if (hardMaxHeadBytes < maxHeadBytes) {
            throw new IllegalArgumentException("hardMaxHeadBytes (" + hardMaxHeadBytes + ") must be at least maxHeadBytes ("
                    + maxHeadBytes + ")");
        }
        requirePositive(maxConnections, "maxConnections");
        if (hardMaxConnections < maxConnections) {
            throw new IllegalArgumentException("hardMaxConnections (" + hardMaxConnections
                    + ") must be at least maxConnections (" + maxConnections + ")");
        }
        requirePositive(maxConnectionsPerAddress, "maxConnectionsPerAddress");
        if (!(handshakesPerSecondPerAddress > 0)) {
            throw new IllegalArgumentException("handshakesPerSecondPerAddress must be positive: "
                    + handshakesPerSecondPerAddress);
        }
        requirePositive(handshakeBurstPerAddress, "handshakeBurstPerAddress");
        trustedProxies = Set.copyOf(trustedProxies);
        Objects.requireNonNull(overMemoryBudget, "overMemoryBudget");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
    }

    private static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** The defaults, with connection caps derived from this JVM's heap and descriptor limit. */
    public static HandshakeLimits defaults() {
        return builder().build();
    }

    /** These limits with another {@link #overMemoryBudget}. */
    public HandshakeLimits withOverMemoryBudget(BooleanSupplier overMemoryBudget) {
        return new HandshakeLimits(headDeadline, maxHeadBytes, hardMaxHeadBytes, maxConnections, hardMaxConnections,
                maxConnectionsPerAddress, handshakesPerSecondPerAddress, handshakeBurstPerAddress, exemptLoopback,
                trustedProxies, overMemoryBudget, retryAfter);
    }

    /** These limits with other {@link #trustedProxies}. */
    public HandshakeLimits withTrustedProxies(Set<InetAddress> trustedProxies) {
        return new HandshakeLimits(headDeadline, maxHeadBytes, hardMaxHeadBytes, maxConnections, hardMaxConnections,
                maxConnectionsPerAddress, handshakesPerSecondPerAddress, handshakeBurstPerAddress, exemptLoopback,
                trustedProxies, overMemoryBudget, retryAfter);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Default {@link #hardMaxConnections}: below the descriptor limit by
     * {@value #RESERVED_FILE_DESCRIPTORS} (so that {@code accept} never fails for want of one), and
     * at most one connection per {@value #HEAP_BYTES_PER_CONNECTION} bytes of maximum heap.
     */
    public static int defaultHardMaxConnections() {
        return defaultHardMaxConnections(Runtime.getRuntime().maxMemory(), fileDescriptorLimit());
    }

    static int defaultHardMaxConnections(long maxHeapBytes, long fileDescriptorLimit) {
        long byDescriptors = fileDescriptorLimit > 0
                ? Math.max(16, fileDescriptorLimit - Math.min(RESERVED_FILE_DESCRIPTORS, fileDescriptorLimit / 4))
                : Integer.MAX_VALUE;
        long byHeap = Math.max(16, maxHeapBytes / HEAP_BYTES_PER_CONNECTION);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(byDescriptors, byHeap));
    }

    /**
     * Default {@link #maxConnections}: 90% of {@code hardMaxConnections}, so that a client over the
     * cap still has a descriptor for its 503 and plain HTTP (the page, {@code /healthz}) still works.
     */
    static int defaultMaxConnections(int hardMaxConnections) {
        return Math.max(1, hardMaxConnections - Math.max(8, hardMaxConnections / 10));
    }

    /** This process's descriptor limit, or -1 where the JVM does not tell (not a Unix). */
    static long fileDescriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Makes a {@link HandshakeLimits}; each setter replaces one default. Not thread-safe. */
    public static final class Builder {
        private Duration headDeadline = DEFAULT_HEAD_DEADLINE;
        private int maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;
        private int hardMaxHeadBytes = DEFAULT_HARD_MAX_HEAD_BYTES;
        private int maxConnections = -1; // derived from hardMaxConnections
        private int hardMaxConnections = -1; // derived from the heap and the descriptor limit
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private double handshakesPerSecondPerAddress = DEFAULT_HANDSHAKES_PER_SECOND_PER_ADDRESS;
        private int handshakeBurstPerAddress = DEFAULT_HANDSHAKE_BURST_PER_ADDRESS;
        private boolean exemptLoopback = true;
        private Set<InetAddress> trustedProxies = Set.of();
        private BooleanSupplier overMemoryBudget = () -> false;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;

        private Builder() {
        }

        /** See {@link HandshakeLimits#headDeadline()}. */
        public Builder headDeadline(Duration headDeadline) {
            this.headDeadline = headDeadline;
            return this;
        }

        /** See {@link HandshakeLimits#maxHeadBytes()}. */
        public Builder maxHeadBytes(int maxHeadBytes) {
            this.maxHeadBytes = maxHeadBytes;
            return this;
        }

        /** See {@link HandshakeLimits#hardMaxHeadBytes()}. */
        public Builder hardMaxHeadBytes(int hardMaxHeadBytes) {
            this.hardMaxHeadBytes = hardMaxHeadBytes;
            return this;
        }

        /** See {@link HandshakeLimits#maxConnections()}; by default 90% of the hard cap. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** See {@link HandshakeLimits#hardMaxConnections()}; by default {@link #defaultHardMaxConnections()}. */
        public Builder hardMaxConnections(int hardMaxConnections) {
            this.hardMaxConnections = hardMaxConnections;
            return this;
        }

        /** See {@link HandshakeLimits#maxConnectionsPerAddress()}. */
        public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
            return this;
        }

        /** See {@link HandshakeLimits#handshakesPerSecondPerAddress()} and {@link HandshakeLimits#handshakeBurstPerAddress()}. */
        public Builder handshakesPerAddress(double perSecond, int burst) {
            this.handshakesPerSecondPerAddress = perSecond;
            this.handshakeBurstPerAddress = burst;
            return this;
        }

        /** See {@link HandshakeLimits#exemptLoopback()}. */
        public Builder exemptLoopback(boolean exemptLoopback) {
            this.exemptLoopback = exemptLoopback;
            return this;
        }

        /** See {@link HandshakeLimits#trustedProxies()}. */
        public Builder trustedProxies(Set<InetAddress> trustedProxies) {
            this.trustedProxies = trustedProxies;
            return this;
        }

        /** See {@link HandshakeLimits#overMemoryBudget()}. */
        public Builder overMemoryBudget(BooleanSupplier overMemoryBudget) {
            this.overMemoryBudget = overMemoryBudget;
            return this;
        }

        /** See {@link HandshakeLimits#retryAfter()}. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /** The limits; throws {@link IllegalArgumentException} for an invalid value. */
        public HandshakeLimits build() {
            int hard = hardMaxConnections > 0 ? hardMaxConnections
                    : Math.max(defaultHardMaxConnections(), Math.max(maxConnections, 1));
            int soft = maxConnections > 0 ? maxConnections : defaultMaxConnections(hard);
            return new HandshakeLimits(headDeadline, maxHeadBytes, hardMaxHeadBytes, soft, hard,
                    maxConnectionsPerAddress, handshakesPerSecondPerAddress, handshakeBurstPerAddress,
                    exemptLoopback, trustedProxies, overMemoryBudget, retryAfter);
        }
    }
}
