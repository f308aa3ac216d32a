package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpExchange;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits or refuses each opening handshake by its {@link HandshakeLimits}, before anything else
 * looks at it, and counts the WebSocket connections it admitted until they end. Handlers whose
 * {@link WebSocketConfig}s share one gate share its counts: the demo's {@code /ws} and {@code /ws/raw}
 * use one config, so the connection cap is the server's, not each endpoint's. Thread-safe.
 *
 * <p>Answers, in the order checked: 414 for a request line longer than {@code maxHeadBytes}, 431 for
 * a longer head; 503 with {@code Retry-After} while {@code overMemoryBudget} says so; 429 with
 * {@code Retry-After} when the client's address is over its handshake rate or its connection cap
 * (loopback and trusted proxies are exempt by default); 503 with {@code Retry-After} at
 * {@code maxConnections}. The client's address is the peer's, or, from a trusted proxy, the one its
 * {@code X-Forwarded-For} names ({@link ForwardedFor}); the session reports it as its
 * {@code remoteAddress()}.
 */
public final class ConnectionGate {

    private static final System.Logger LOG = System.getLogger(ConnectionGate.class.getName());

    /** Refusals for want of capacity are logged at WARNING at most once per this interval. */
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How often the table of addresses drops those with no connection and a full bucket. */
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HandshakeLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final Map<InetAddress, AddressState> addresses = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong nextRefusalLogNanos = new AtomicLong(System.nanoTime());

    private ConnectionGate(HandshakeLimits limits) {
        this.limits = limits;
    }

    /** A gate with its own counts; give it to every {@link WebSocketConfig} of one server. */
    public static ConnectionGate create(HandshakeLimits limits) {
        return new ConnectionGate(java.util.Objects.requireNonNull(limits, "limits"));
    }

    public HandshakeLimits limits() {
        return limits;
    }

    /** WebSocket connections admitted and not yet ended (handshakes in progress and sessions). */
    public int openConnections() {
        return open.get();
    }

    /** Handshakes refused so far, for every reason this gate checks. */
    public long refusedHandshakes() {
        return refused.get();
    }

    /** What the gate decided for one handshake. */
    sealed interface Decision permits Admitted, UpgradeCheck.Reject {
    }

    /**
     * An admitted connection, counted until {@link #release()}; {@code client} is its effective
     * address and {@code formatted} that address for logs ({@code 203.0.113.5:41234}, or without a
     * port when it came from {@code X-Forwarded-For}).
     */
    final class Admitted implements Decision {
        private final InetAddress client;
        private final String formatted;
        private final AddressState counted; // null when exempt
        private boolean released; // guarded by this

        private Admitted(InetAddress client, String formatted, AddressState counted) {
            this.client = client;
            this.formatted = formatted;
            this.counted = counted;
        }

        InetAddress client() {
            return client;
        }

        String formatted() {
            return formatted;
        }

        /** Ends the count of this connection; idempotent, from any thread. */
        void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            open.decrementAndGet();
            if (counted != null) {
                counted.release();
            }
        }
    }

    /** Decides for {@code exchange}; an {@link Admitted} must be released when its connection ends. */
    Decision admit(HttpExchange exchange) {
        Decision decision = decide(exchange);
        if (decision instanceof UpgradeCheck.Reject reject) {
            refused.incrementAndGet();
            if (reject.status() == 503) {
                logCapacityRefusal(reject);
            }
        }
        return decision;
    }

    private Decision decide(HttpExchange exchange) {
        long lineLength = requestLineLength(exchange);
        if (lineLength > limits.maxHeadBytes()) {
            return new UpgradeCheck.Reject(414, "request line longer than " + limits.maxHeadBytes() + " bytes");
        }
        if (headLength(lineLength, exchange) > limits.maxHeadBytes()) {
            return new UpgradeCheck.Reject(431, "request headers larger than " + limits.maxHeadBytes() + " bytes");
        }
        if (limits.overMemoryBudget().getAsBoolean()) {
            return retryLater(503, "server is over its memory budget, try again later");
        }
        InetSocketAddress peer = exchange.getRemoteAddress();
        InetAddress peerAddress = peer.getAddress();
        InetAddress client = ForwardedFor.clientAddress(peerAddress,
                exchange.getRequestHeaders().get(ForwardedFor.HEADER), limits.trustedProxies());
        String formatted = client.equals(peerAddress) ? format(peerAddress, peer.getPort()) : format(client, -1);
        AddressState state = null;
        if (!isExempt(client)) {
            sweepNow();
            String[] refusal = new String[1];
            // Inside the map's lock for this address, so that a sweep never forgets a state being admitted to.
            state = addresses.compute(client, (address, existing) -> {
                AddressState current = existing != null ? existing : new AddressState(limits.handshakeBurstPerAddress());
                refusal[0] = current.tryAdmit(limits);
                return current;
            });
            if (refusal[0] != null) {
                return retryLater(429, refusal[0]);
            }
        }
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            if (state != null) {
                state.release();
            }
            return retryLater(503, "server is at its connection limit, try again later");
        }
        return new Admitted(client, formatted, state);
    }

    private boolean isExempt(InetAddress client) {
        return limits.exemptLoopback() && client.isLoopbackAddress() || limits.trustedProxies().contains(client);
    }

    private UpgradeCheck.Reject retryLater(int status, String reason) {
        long seconds = Math.max(1, (limits.retryAfter().toMillis() + 999) / 1000);
        return new UpgradeCheck.Reject(status, reason, Map.of("Retry-After", Long.toString(seconds)));
    }

    private void logCapacityRefusal(UpgradeCheck.Reject reject) {
        long now = System.nanoTime();
        long next = nextRefusalLogNanos.get();
        if (now - next >= 0 && nextRefusalLogNanos.compareAndSet(next, now + REFUSAL_LOG_INTERVAL_NANOS)) {
            LOG.log(Level.WARNING, () -> "refusing WebSocket handshakes with " + reject.status() + ": "
                    + reject.reason() + " (" + open.get() + " open, limit " + limits.maxConnections()
                    + "; logged once a minute)");
        }
    }

    /** Drops addresses with no connection whose bucket has refilled, at most once a second. */
    private void sweepNow() {
        long now = System.nanoTime();
        long next = nextSweepNanos.get();
        if (now - next < 0 || !nextSweepNanos.compareAndSet(next, now + SWEEP_INTERVAL_NANOS)) {
            return;
        }
        for (InetAddress address : addresses.keySet()) {
            addresses.computeIfPresent(address, (a, state) -> state.isForgettable(limits, now) ? null : state);
        }
    }

    /** The request line as HttpServer measured it: method, URI and version with two spaces. */
    private static long requestLineLength(HttpExchange exchange) {
        return exchange.getRequestMethod().length() + 1 + exchange.getRequestURI().toString().length() + 1
                + exchange.getProtocol().length();
    }

    /** The head as {@code HttpServer} counts it against its own cap: 32 bytes more per line. */
    private static long headLength(long requestLineLength, HttpExchange exchange) {
        long total = requestLineLength + 32;
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                total += header.getKey().length() + 2 + value.length() + 32;
            }
        }
        return total;
    }

    static String format(InetAddress address, int port) {
        String host = address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return port >= 0 ? host + ":" + port : host;
    }

    /** One client address: its open connections and its handshake token bucket. */
    private static final class AddressState {
        private int connections; // guarded by this
        private double tokens; // guarded by this
        private long refilledNanos = System.nanoTime(); // guarded by this

        AddressState(int burst) {
            this.tokens = burst;
        }

        /** Takes a token and a connection slot; returns the reason when either is not there. */
        synchronized String tryAdmit(HandshakeLimits limits) {
            refill(limits, System.nanoTime());
            if (tokens < 1) {
                return "too many handshakes from this address, try again later";
            }
            tokens -= 1; // a refused attempt below still costs its token: retrying in a loop does not help
            if (connections >= limits.maxConnectionsPerAddress()) {
                return "too many connections from this address";
            }
            connections++;
            return null;
        }

        synchronized void release() {
            connections--;
        }

        synchronized boolean isForgettable(HandshakeLimits limits, long now) {
            refill(limits, now);
            return connections == 0 && tokens >= limits.handshakeBurstPerAddress();
        }

        private void refill(HandshakeLimits limits, long now) {
            double elapsedSeconds = (now - refilledNanos) / 1e9;
            refilledNanos = now;
            tokens = Math.min(limits.handshakeBurstPerAddress(), tokens + elapsedSeconds * limits.handshakesPerSecondPerAddress());
        }
    }
}
