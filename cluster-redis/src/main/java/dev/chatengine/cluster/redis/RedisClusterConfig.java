package dev.chatengine.cluster.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a node joins the cluster: the Redis address and the timings. Immutable; made by {@link #builder(URI)}.
 *
 * <pre>{@code
 * RedisClusterConfig config = RedisClusterConfig.builder(URI.create("redis://127.0.0.1:6379")).build();
 * }</pre>
 *
 * <p>The timings relate as follows: a node's heartbeat key lives {@code nodeTtl} and is refreshed every
 * {@code heartbeat} (at most a third of it, so two lost beats do not kill a live node); names live
 * {@code nameTtl} and are refreshed on the same beat; a dead node's members disappear from readers once
 * its key expired (at most {@code nodeTtl} after its last beat) and the reaper publishes their leaves on its
 * next beat, so within {@code nodeTtl + heartbeat} (20 s by default, below the 30 s).
 *
 * @param uri                   {@code redis://host:port} (a password as {@code redis://:secret@host:port})
 * @param nodeId                this node's id, unique in the cluster (default: random); no {@code |} or {@code :}
 * @param historySize           messages kept per room in Redis and in each node's mirror (default 50)
 * @param streamTtl             how long a silent room's history lives in Redis (default 1 h)
 * @param metaTtl               how long a silent room's epoch and seq live (default 7 days): longer than
 *                              the history, so that a since from before the expiry still meets its epoch
 * @param heartbeat             node heartbeat period (default 5 s)
 * @param nodeTtl               node heartbeat key lifetime (default 15 s)
 * @param nameTtl               lifetime of a name claim without refresh (default 30 s)
 * @param subscriberConnections dedicated pub/sub connections, rooms sharded over them by hash (1-4, default 2)
 * @param probeInterval         each pub/sub connection is probed through the node's channel this often (default 10 s)
 * @param probeTimeout          a probe not back within this restarts the connection (default 5 s)
 * @param reconnectMin          first reconnect delay, doubled up to {@code reconnectMax} (defaults 100 ms, 5 s)
 * @param reconnectMax          longest reconnect delay
 * @param positionCheck         how often each open room's seq is compared with Redis's, to catch messages that
 *                              pub/sub never brought (default 30 s)
 * @param commandTimeout        socket timeout of ordinary commands (default 2 s)
 * @param poolSize              connections for ordinary commands (default 64); a call finding all of them busy
 *                              waits up to {@code poolWait} (default 10 s: a burst of logins on a loaded host
 *                              must queue, not fail; an unreachable Redis fails at once, not after the wait)
 */
public record RedisClusterConfig(URI uri, String nodeId, int historySize, Duration streamTtl, Duration metaTtl,
                                 Duration heartbeat, Duration nodeTtl, Duration nameTtl, int subscriberConnections,
                                 Duration probeInterval, Duration probeTimeout, Duration positionCheck, Duration reconnectMin,
                                 Duration reconnectMax, Duration commandTimeout, int poolSize, Duration poolWait) {

    public RedisClusterConfig {
        Objects.requireNonNull(uri, "uri");
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://HOST:PORT, got " + uri);
        }
        if (nodeId.isEmpty() || nodeId.contains("|") || nodeId.contains(":") || nodeId.length() > 64) {
            throw new IllegalArgumentException("nodeId must be 1-64 characters without '|' or ':'");
        }
        if (historySize < 1 || historySize > 10_000) {
            throw new IllegalArgumentException("historySize must be 1-10000");
        }
        if (subscriberConnections < 1 || subscriberConnections > 4) {
            throw new IllegalArgumentException("subscriberConnections must be 1-4");
        }
        if (heartbeat.multipliedBy(3).compareTo(nodeTtl) > 0) {
            throw new IllegalArgumentException("heartbeat must be at most a third of nodeTtl");
        }
        if (heartbeat.multipliedBy(3).compareTo(nameTtl) > 0) {
            throw new IllegalArgumentException("heartbeat must be at most a third of nameTtl");
        }
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Redis port, 6379 when the URI has none. */
    int port() {
        return uri.getPort() > 0 ? uri.getPort() : 6379;
    }

    /** Builds a {@link RedisClusterConfig}; every setting has a safe default. */
    public static final class Builder {
        private final URI uri;
        private String nodeId = UUID.randomUUID().toString().substring(0, 8);
        private int historySize = 50;
        private Duration streamTtl = Duration.ofHours(1);
        private Duration metaTtl = Duration.ofDays(7);
        private Duration heartbeat = Duration.ofSeconds(5);
        private Duration nodeTtl = Duration.ofSeconds(15);
        private Duration nameTtl = Duration.ofSeconds(30);
        private int subscriberConnections = 2;
        private Duration probeInterval = Duration.ofSeconds(10);
        private Duration probeTimeout = Duration.ofSeconds(5);
        private Duration positionCheck = Duration.ofSeconds(30);
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(2);
        private int poolSize = 64;
        private Duration poolWait = Duration.ofSeconds(10);

        private Builder(URI uri) {
            this.uri = uri;
        }

        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder historySize(int v) { historySize = v; return this; }
        public Builder streamTtl(Duration v) { streamTtl = v; return this; }
        public Builder metaTtl(Duration v) { metaTtl = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }
        public Builder nodeTtl(Duration v) { nodeTtl = v; return this; }
        public Builder nameTtl(Duration v) { nameTtl = v; return this; }
        public Builder subscriberConnections(int v) { subscriberConnections = v; return this; }
        public Builder probeInterval(Duration v) { probeInterval = v; return this; }
        public Builder probeTimeout(Duration v) { probeTimeout = v; return this; }
        public Builder positionCheck(Duration v) { positionCheck = v; return this; }
        public Builder reconnect(Duration min, Duration max) { reconnectMin = min; reconnectMax = max; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder poolSize(int v) { poolSize = v; return this; }
        public Builder poolWait(Duration v) { poolWait = v; return this; }

        public RedisClusterConfig build() {
            return new RedisClusterConfig(uri, nodeId, historySize, streamTtl, metaTtl, heartbeat, nodeTtl, nameTtl,
                    subscriberConnections, probeInterval, probeTimeout, positionCheck, reconnectMin, reconnectMax, commandTimeout,
                    poolSize, poolWait);
        }
    }
}
