package dev.chatengine.cluster.redis;

import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's pub/sub side: 1-4 dedicated connections, each on its own virtual thread, with the rooms
 * sharded over them by hash. Every connection also subscribes the node's own channel, through which it
 * is probed (a probe that does not come back restarts it: a connection can look healthy and deliver
 * nothing); connection 0 also takes the node's whispers and kicks and the cluster's room events. A lost
 * connection is reconnected with doubling backoff and re-subscribes everything it had; each room it
 * re-subscribes is reported to {@link Handler#onResubscribed} so that its feed catches up.
 *
 * <p>Thread contract: thread-safe. Handler methods run on the connection's reader thread, one at a time
 * per connection.
 */
final class Subscriber implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

    /** What the reader threads hand on. */
    interface Handler {
        void onRoomMessage(String room, byte[] payload);

        /** A payload on the node's channel other than a probe (connection 0 only). */
        void onNodeMessage(byte[] payload);

        /** A payload on the cluster's event channel (connection 0 only). */
        void onClusterEvent(byte[] payload);

        /** The connection carrying {@code room} was lost; publications are missed until {@link #onResubscribed}. */
        void onLost(String room);

        /** {@code room} is subscribed again after a lost connection. */
        void onResubscribed(String room);
    }

    static final String EVENTS = "c:events";

    private final RedisCalls calls;
    private final RedisClusterConfig config;
    private final Handler handler;
    private final BrokerCounters counters;
    private final Shard[] shards;
    private volatile boolean closed;
    /** For tests: connections that read and silently drop everything (a subscription that delivers nothing). */
    volatile boolean deafForTest;

    Subscriber(RedisCalls calls, RedisClusterConfig config, Handler handler, BrokerCounters counters) {
        this.calls = calls;
        this.config = config;
        this.handler = handler;
        this.counters = counters;
        this.shards = new Shard[config.subscriberConnections()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i);
        }
    }

    void start() {
        for (Shard s : shards) {
            s.thread = Thread.ofVirtual().name("redis-sub-" + config.nodeId() + "-" + s.index).start(s::run);
        }
    }

    /** Subscribes {@code room}; the future completes when Redis confirmed it. */
    CompletableFuture<Void> subscribe(String room) {
        return shard(room).add(Keys.channel(room));
    }

    void unsubscribe(String room) {
        shard(room).remove(Keys.channel(room));
    }

    /** True when every connection is subscribed. */
    boolean allConnected() {
        for (Shard s : shards) {
            if (!s.connected) {
                return false;
            }
        }
        return true;
    }

    /** Called by the node's ticker: sends probes and restarts connections whose probe did not come back. */
    void probe(long nowNanos, java.util.function.Consumer<byte[]> publishToNode) {
        for (Shard s : shards) {
            s.probe(nowNanos, publishToNode);
        }
    }

    private Shard shard(String room) {
        return shards[Math.floorMod(room.hashCode(), shards.length)];
    }

    @Override
    public void close() {
        closed = true;
        for (Shard s : shards) {
            s.kill();
            if (s.thread != null) {
                s.thread.interrupt(); // out of a backoff sleep
            }
        }
        for (Shard s : shards) {
            if (s.thread != null) {
                try {
                    s.thread.join(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final class Shard {
        final int index;
        final Set<String> wanted = ConcurrentHashMap.newKeySet();
        final ConcurrentHashMap<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
        final ReentrantLock writes = new ReentrantLock();
        final String nodeChannel = Keys.nodeChannel(config.nodeId());
        Thread thread;
        volatile Jedis jedis;
        volatile PubSub current;
        volatile boolean connected;
        volatile long probeSentNanos;  // 0: none outstanding
        long probeNonce;

        Shard(int index) {
            this.index = index;
        }

        CompletableFuture<Void> add(String channel) {
            CompletableFuture<Void> confirmed = waiting.computeIfAbsent(channel, c -> new CompletableFuture<>());
            wanted.add(channel);
            send(true, channel);
            return confirmed;
        }

        void remove(String channel) {
            wanted.remove(channel);
            CompletableFuture<Void> w = waiting.remove(channel);
            if (w != null) {
                w.cancel(false);
            }
            send(false, channel);
        }

        /** Sends (UN)SUBSCRIBE on the live connection, if there is one; a new connection subscribes {@link #wanted}. */
        private void send(boolean subscribe, String channel) {
            PubSub ps = current;
            if (ps == null || !connected) {
                return;
            }
            writes.lock();
            try {
                byte[] c = channel.getBytes(StandardCharsets.UTF_8);
                if (subscribe) {
                    ps.subscribe(c);
                } else {
                    ps.unsubscribe(c);
                }
            } catch (RuntimeException e) {
                // the connection is going down; the reconnect subscribes what is wanted
                LOG.log(System.Logger.Level.DEBUG, "(un)subscribe failed on a dying connection", e);
            } finally {
                writes.unlock();
            }
        }

        void run() {
            long backoff = config.reconnectMin().toMillis();
            boolean first = true;
            while (!closed) {
                PubSub ps = new PubSub(this, !first);
                try (Jedis j = calls.dedicated()) {
                    jedis = j;
                    current = ps;
                    List<byte[]> channels = new ArrayList<>();
                    channels.add(nodeChannel.getBytes(StandardCharsets.UTF_8));
                    if (index == 0) {
                        channels.add(EVENTS.getBytes(StandardCharsets.UTF_8));
                    }
                    for (String c : wanted) {
                        ps.initial.add(c);
                        channels.add(c.getBytes(StandardCharsets.UTF_8));
                    }
                    j.subscribe(ps, channels.toArray(new byte[0][]));
                } catch (RuntimeException e) {
                    if (!closed) {
                        LOG.log(System.Logger.Level.WARNING, "Redis pub/sub connection " + index + " of node "
                                + config.nodeId() + " lost: " + e.getMessage());
                    }
                } finally {
                    boolean wasConnected = connected;
                    connected = false;
                    current = null;
                    jedis = null;
                    probeSentNanos = 0;
                    if (wasConnected) {
                        for (String c : wanted) {
                            String room = Keys.roomOfChannel(c);
                            if (room != null) {
                                handler.onLost(room);
                            }
                        }
                    }
                    if (ps.sawConfirmation) {
                        backoff = config.reconnectMin().toMillis();
                    }
                }
                if (closed) {
                    break;
                }
                first = false;
                counters.reconnected();
                sleep(backoff + (long) (Math.random() * backoff / 2));
                backoff = Math.min(backoff * 2, config.reconnectMax().toMillis());
            }
        }

        void probe(long now, java.util.function.Consumer<byte[]> publish) {
            if (!connected) {
                return;
            }
            long sent = probeSentNanos;
            if (sent != 0 && now - sent > config.probeTimeout().toNanos()) {
                LOG.log(System.Logger.Level.WARNING, "Redis pub/sub connection " + index + " of node " + config.nodeId()
                        + " did not deliver its probe within " + config.probeTimeout() + ": restarting it");
                restart();
                return;
            }
            if (sent == 0) {
                probeSentNanos = now;
                try {
                    publish.accept(Fields.concat((byte) 'p', Fields.encode(Integer.toString(index), Long.toString(++probeNonce))));
                } catch (RuntimeException e) {
                    probeSentNanos = 0; // Redis unreachable for commands: the heartbeat reports it
                }
            }
        }

        void restart() {
            Jedis j = jedis;
            if (j != null) {
                try {
                    j.disconnect();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }

        void kill() {
            PubSub ps = current;
            if (ps != null && connected) {
                try {
                    ps.unsubscribe();
                } catch (RuntimeException ignored) {
                    // fall through to the disconnect
                }
            }
            restart();
        }
    }

    private final class PubSub extends BinaryJedisPubSub {
        private final Shard shard;
        private final boolean reconnect;
        /** The room channels this connection's first SUBSCRIBE carries (their confirmations follow). */
        final Set<String> initial = ConcurrentHashMap.newKeySet();
        volatile boolean sawConfirmation;

        PubSub(Shard shard, boolean reconnect) {
            this.shard = shard;
            this.reconnect = reconnect;
        }

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            String c = new String(channel, StandardCharsets.UTF_8);
            if (!sawConfirmation) {
                sawConfirmation = true;
                shard.connected = true;
                // A room added after this connection's channel list was made but before it was live: subscribe it now.
                for (String w : shard.wanted) {
                    if (!initial.contains(w)) {
                        shard.send(true, w);
                    }
                }
            }
            String room = Keys.roomOfChannel(c);
            if (room == null || !shard.wanted.contains(c)) {
                return;
            }
            if (reconnect) {
                handler.onResubscribed(room);
            }
            CompletableFuture<Void> w = shard.waiting.remove(c);
            if (w != null) {
                w.complete(null);
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            if (deafForTest) {
                return;
            }
            String c = new String(channel, StandardCharsets.UTF_8);
            try {
                if (c.equals(shard.nodeChannel)) {
                    if (message.length > 0 && message[0] == 'p') {
                        List<String> f = Fields.decode(message, 1);
                        if (Integer.parseInt(f.get(0)) == shard.index) {
                            shard.probeSentNanos = 0;
                        }
                    } else if (shard.index == 0) {
                        handler.onNodeMessage(message);
                    }
                    return;
                }
                if (c.equals(EVENTS)) {
                    handler.onClusterEvent(message);
                    return;
                }
                String room = Keys.roomOfChannel(c);
                if (room != null && shard.wanted.contains(c)) {
                    counters.received();
                    handler.onRoomMessage(room, message);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "bad publication on " + c + " ignored", e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
