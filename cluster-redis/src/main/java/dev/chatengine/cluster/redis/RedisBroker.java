package dev.chatengine.cluster.redis;

import dev.chatengine.engine.chat.spi.BrokerListener;
import dev.chatengine.engine.chat.spi.BrokerUnavailableException;
import dev.chatengine.engine.chat.spi.ChatBroker;
import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.Ephemeral;
import dev.chatengine.engine.chat.spi.Member;
import dev.chatengine.engine.chat.spi.MemberList;
import dev.chatengine.engine.chat.spi.Published;
import dev.chatengine.engine.chat.spi.RoomPage;
import dev.chatengine.engine.chat.spi.RoomState;
import dev.chatengine.engine.chat.spi.SequencedMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ChatBroker} that shares rooms between chat servers through one Redis: plug it into each node's
 * chat service and the nodes behave as one chat.
 *
 * <pre>{@code
 * RedisBroker broker = RedisBroker.create(RedisClusterConfig.builder(URI.create("redis://127.0.0.1:6379")).build());
 * ChatService chat = ChatService.builder(hub).broker(broker).build();   // the service starts it
 * ... broker.isReady() for a readiness probe, broker.metrics() for /metrics ...
 * chat... ; broker.close();
 * }</pre>
 *
 * <p>How (see the project's design note on scale-out): each message is one Lua call that gives it the
 * room's next seq, stores it in the room's stream (the last {@code historySize}) and publishes it on the
 * room's channel; every node that has the room open (the accepting one too) delivers it from that
 * channel, so there is one order everywhere. A node keeps per room its epoch and last seq and fills gaps
 * from the stream ({@link RoomFeed}). Presence is a sorted set per room, names are {@code SET NX PX} keys,
 * both owned by a node whose heartbeat key they depend on: a node that dies silently has its members
 * hidden once its key expires and removed (with leave events) by an elected reaper, and its names free.
 *
 * <p>Failures: a call that needs Redis while it is unreachable throws {@link BrokerUnavailableException}
 * (the sender of a message gets {@code unavailable}); pub/sub connections reconnect with backoff and
 * catch up; where history was lost a room resets ({@link BrokerListener#onRoomReset}) under a new epoch.
 *
 * <p>Thread contract: thread-safe; calls may block on Redis for up to the command timeout.
 */
public final class RedisBroker implements ChatBroker {

    private static final System.Logger LOG = System.getLogger(RedisBroker.class.getName());
    /** A new room's deliveries wait at most this long for the service to come back about it (see {@link RoomFeed}). */
    private static final long HOLD_AT_MOST_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private final RedisClusterConfig config;
    private final String nodeId;
    private final RedisCalls calls;
    /** Heartbeat and probes: never queued behind requests. */
    private final RedisCalls control;
    private final RoomLog log;
    private final BrokerCounters counters = new BrokerCounters();
    private final Subscriber subscriber;
    private final NodeRegistry registry;
    private final ConcurrentHashMap<String, Open> open = new ConcurrentHashMap<>();
    private volatile BrokerListener listener;
    private volatile Thread ticker;
    private volatile boolean closed;

    /** A room open on this node: its feed and how many times it was opened. Guarded by the map's compute. */
    private static final class Open {
        final RoomFeed feed;
        int opens;

        Open(RoomFeed feed) {
            this.feed = feed;
        }
    }

    private RedisBroker(RedisClusterConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.nodeId = config.nodeId();
        this.calls = new RedisCalls(config);
        this.control = new RedisCalls(config, 2);
        this.log = new RoomLog(calls, config);
        this.subscriber = new Subscriber(calls, config, new Inbound(), counters);
        this.registry = new NodeRegistry(calls, control, config, this::onMemberReaped);
    }

    /** A broker for {@code config}; it connects when the chat service {@linkplain #start starts} it. */
    public static RedisBroker create(RedisClusterConfig config) {
        return new RedisBroker(config);
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * True while Redis answers this node's heartbeat and every pub/sub connection is subscribed: what a
     * readiness probe ({@code /readyz}) reports. Liveness is another matter: the node keeps serving its
     * local clients while Redis is away.
     */
    public boolean isReady() {
        return !closed && registry.isHealthy() && subscriber.allConnected();
    }

    /** Counters for {@code /metrics}. */
    public RedisBrokerMetrics metrics() {
        return counters.snapshot(isReady());
    }

    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("started already");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        registry.beat(); // first heartbeat at once (a Redis that is down now is retried by the ticker)
        subscriber.start();
        ticker = Thread.ofVirtual().name("redis-ticker-" + nodeId).start(this::tick);
    }

    // ---- rooms and messages ----

    @Override
    public RoomState openRoom(String room) {
        boolean[] first = {false};
        Open o = open.compute(room, (k, existing) -> {
            Open x = existing;
            if (x == null) {
                x = new Open(new RoomFeed(new Source(k), new Sink(k), config.historySize(), counters));
                first[0] = true;
            }
            x.opens++;
            return x;
        });
        if (!first[0]) {
            RoomFeed.State s = o.feed.state();
            if (s.epoch() != null) {
                return state(room, s.epoch(), s.lastSeq(), s.recent(), false);
            }
        }
        try {
            subscriber.subscribe(room).get(config.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            RoomFeed.State s = o.feed.synced();
            return state(room, s.epoch(), s.lastSeq(), s.recent(), createdHere.remove(room + "\u0000" + s.epoch()) != null);
        } catch (TimeoutException | ExecutionException e) {
            closeRoom(room);
            throw new BrokerUnavailableException("Redis did not confirm the subscription of room " + room, e);
        } catch (InterruptedException e) {
            closeRoom(room);
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while opening room " + room, e);
        } catch (RuntimeException e) {
            closeRoom(room);
            throw e;
        }
    }

    /** Rooms whose life a snapshot of this node began ({@code room NUL epoch}), until the open that made it reports it. */
    private final ConcurrentHashMap<String, Boolean> createdHere = new ConcurrentHashMap<>();

    @Override
    public void closeRoom(String room) {
        boolean[] last = {false};
        open.computeIfPresent(room, (k, o) -> {
            if (--o.opens > 0) {
                return o;
            }
            last[0] = true;
            return null;
        });
        if (last[0]) {
            subscriber.unsubscribe(room);
        }
    }

    /**
     * The service's first call about a room after {@code openRoom} means it has registered the room: deliveries
     * may start (see {@link RoomFeed#release()}).
     */
    private void released(String room) {
        Open o = open.get(room);
        if (o != null) {
            o.feed.release();
        }
    }

    @Override
    public Published publish(ChatMessage message, String publicationId) {
        released(message.room());
        Open o = open.get(message.room());
        RoomFeed.State known = o == null ? null : o.feed.state();
        String pub = nodeId + "/" + (publicationId == null ? "" : publicationId);
        String data = Fields.encode(Long.toString(message.ts()), message.from(), message.text());
        try {
            RoomLog.Published p = log.publish(message.room(), pub, data, known == null ? null : known.epoch(),
                    known == null ? 0 : known.lastSeq());
            counters.published();
            return new Published(p.epoch(), p.seq());
        } catch (BrokerUnavailableException e) {
            counters.publishFailed();
            throw e;
        }
    }

    @Override
    public void publishEphemeral(Ephemeral event) {
        released(event.room());
        byte[] payload = switch (event) {
            case Ephemeral.Presence p -> Fields.concat((byte) 'e', Fields.encode("p", p.name(), p.joined() ? "1" : "0"));
            case Ephemeral.Typing t -> Fields.concat((byte) 'e', Fields.encode("t", t.name()));
        };
        try {
            calls.call(c -> c.publish(Keys.channel(event.room()).getBytes(StandardCharsets.UTF_8), payload));
        } catch (RuntimeException e) {
            // Ephemeral: it reaches the members online when it is published, or nobody.
            LOG.log(System.Logger.Level.DEBUG, "ephemeral event not published: " + e.getMessage());
        }
    }

    // ---- presence ----

    @Override
    public boolean addMember(String room, Member member) {
        released(room);
        return registry.addMember(room, member);
    }

    @Override
    public boolean removeMember(String room, Member member) {
        return registry.removeMember(room, member);
    }

    @Override
    public MemberList members(String room, int limit) {
        released(room);
        return registry.members(room, limit);
    }

    @Override
    public int memberCount(String room) {
        return registry.members(room, 0).total();
    }

    @Override
    public RoomPage rooms(int limit, String cursor) {
        return registry.rooms(limit, cursor);
    }

    // ---- names, whispers, kicks ----

    @Override
    public boolean claimName(Member member) {
        return registry.claimName(member);
    }

    @Override
    public void releaseName(Member member) {
        registry.releaseName(member);
    }

    @Override
    public Optional<String> lookupName(String key) {
        return registry.holder(key).map(NodeRegistry.Holder::name);
    }

    @Override
    public List<String> online(Collection<String> keys) {
        return registry.online(keys);
    }

    @Override
    public List<String> onlineNames(int limit) {
        return registry.onlineNames(limit);
    }

    @Override
    public boolean sendDirect(String toKey, Direct direct) {
        Optional<NodeRegistry.Holder> holder = registry.holder(toKey);
        if (holder.isEmpty()) {
            return false;
        }
        if (holder.get().node().equals(nodeId)) {
            listener.onDirect(toKey, direct);
            return true;
        }
        byte[] payload = Fields.concat((byte) 'd', Fields.encode(toKey, direct.from(), direct.to(), direct.text(),
                Long.toString(direct.ts())));
        return toNode(holder.get().node(), payload);
    }

    @Override
    public boolean kick(String key, int code, String reason) {
        Optional<NodeRegistry.Holder> holder = registry.holder(key);
        if (holder.isEmpty()) {
            return false;
        }
        if (holder.get().node().equals(nodeId)) {
            listener.onKick(key, code, reason);
            return true;
        }
        return toNode(holder.get().node(), Fields.concat((byte) 'k', Fields.encode(key, Integer.toString(code), reason)));
    }

    private boolean toNode(String node, byte[] payload) {
        long receivers = calls.call(c -> c.publish(Keys.nodeChannel(node).getBytes(StandardCharsets.UTF_8), payload));
        return receivers > 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
        subscriber.close();
        registry.leave();  // a clean stop frees this node's names and members at once
        calls.close();
        control.close();
    }

    /** For tests: stop as a killed process would, leaving this node's keys in Redis to expire. */
    void crashForTest() {
        closed = true;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
        subscriber.close();
        calls.close();
        control.close();
    }

    /** For tests: this node's pub/sub connections stay up but deliver nothing (until {@code false}). */
    void deafenForTest(boolean deaf) {
        subscriber.deafForTest = deaf;
    }

    /** For tests: this node's pub/sub readers stop reading until {@code gate} opens, as a slow node would. */
    void stallReadersForTest(java.util.concurrent.CountDownLatch gate) {
        stall = gate;
    }

    private volatile java.util.concurrent.CountDownLatch stall;

    // ---- the ticker: heartbeat, reaper, probes, retries ----

    private void tick() {
        long nextBeat = 0;
        long nextCheck = System.nanoTime() + config.positionCheck().toNanos();
        while (!closed) {
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + config.positionCheck().toNanos();
                checkPositions();
            }
            if (now - nextBeat >= 0) {
                registry.beat();
                nextBeat = now + config.heartbeat().toNanos();
                for (Open o : open.values()) {
                    o.feed.resyncIfStale();
                }
            }
            for (Open o : open.values()) {
                if (o.feed.heldLongerThan(HOLD_AT_MOST_NANOS)) {
                    o.feed.release(); // opened by something that never came back to the broker about the room
                }
            }
            subscriber.probe(now, payload -> control.call(c -> c.publish(
                    Keys.nodeChannel(nodeId).getBytes(StandardCharsets.UTF_8), payload)));
            try {
                Thread.sleep(Math.min(500, config.probeInterval().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads every open room's epoch and seq in one pipeline and hands them to the feeds ({@link RoomFeed#check}). */
    private void checkPositions() {
        List<String> rooms = new ArrayList<>(open.keySet());
        if (rooms.isEmpty()) {
            return;
        }
        List<RoomFeed.State> before = new ArrayList<>(rooms.size());
        for (String r : rooms) {
            Open o = open.get(r);
            before.add(o == null ? null : o.feed.state()); // before the read: see RoomFeed.check
        }
        try {
            List<List<String>> positions = log.positions(rooms);
            for (int i = 0; i < rooms.size(); i++) {
                Open o = open.get(rooms.get(i));
                List<String> p = positions.get(i);
                if (o != null && before.get(i) != null && p.get(0) != null) {
                    o.feed.check(p.get(0), p.get(1) == null ? 0 : Long.parseLong(p.get(1)), before.get(i));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "position check skipped: " + e.getMessage());
        }
    }

    /** The reaper removed a dead node's member: its leave goes to every node through the room's channel. */
    private void onMemberReaped(String room, String name) {
        publishEphemeral(new Ephemeral.Presence(room, name, false));
    }

    // ---- inbound ----

    private RoomState state(String room, String epoch, long lastSeq, List<RoomLog.Entry> recent, boolean created) {
        List<SequencedMessage> history = new ArrayList<>(recent.size());
        for (RoomLog.Entry e : recent) {
            history.add(sequenced(room, epoch, e));
        }
        return new RoomState(epoch, lastSeq, history, created);
    }

    private static SequencedMessage sequenced(String room, String epoch, RoomLog.Entry e) {
        List<String> f = Fields.decode(e.data());
        return new SequencedMessage(epoch, e.seq(), new ChatMessage(room, f.get(1), f.get(2), Long.parseLong(f.get(0))));
    }

    /** Where a room's feed reads Redis. */
    private final class Source implements RoomFeed.Source {
        private final String room;

        Source(String room) {
            this.room = room;
        }

        @Override
        public List<RoomLog.Entry> range(long after, long before) {
            return log.range(room, after, before);
        }

        @Override
        public void rotate(String expected) {
            log.rotate(room, expected);
        }

        @Override
        public RoomLog.Snapshot snapshot() {
            RoomLog.Snapshot s = log.snapshot(room);
            if (s.created()) {
                createdHere.put(room + "\u0000" + s.epoch(), Boolean.TRUE);
            }
            return s;
        }
    }

    /** Where a room's feed delivers: the chat service's listener. */
    private final class Sink implements RoomFeed.Sink {
        private final String room;

        Sink(String room) {
            this.room = room;
        }

        @Override
        public void message(String epoch, RoomLog.Entry entry, String publicationId) {
            listener.onMessage(sequenced(room, epoch, entry), publicationId);
        }

        @Override
        public void reset(String epoch, long lastSeq, List<RoomLog.Entry> recent) {
            LOG.log(System.Logger.Level.INFO, "room " + room + " on node " + nodeId + " lost continuity; reset at epoch "
                    + epoch + " seq " + lastSeq);
            listener.onRoomReset(room, state(room, epoch, lastSeq, recent, false));
        }
    }

    private final class Inbound implements Subscriber.Handler {

        @Override
        public void onRoomMessage(String room, byte[] payload) {
            java.util.concurrent.CountDownLatch gate = stall;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Open o = open.get(room);
            if (o == null || payload.length == 0) {
                return;
            }
            switch (payload[0]) {
                case 'm' -> {
                    List<String> f = Fields.decode(payload, 1); // epoch, seq, pub, ts, from, text
                    String pub = f.get(2);
                    String mine = pub.startsWith(nodeId + "/") ? pub.substring(nodeId.length() + 1) : null;
                    String data = Fields.encode(f.get(3), f.get(4), f.get(5));
                    o.feed.onPub(new RoomFeed.Pub(f.get(0), Long.parseLong(f.get(1)),
                            mine == null || mine.isEmpty() ? null : mine, data));
                }
                case 'e' -> {
                    List<String> f = Fields.decode(payload, 1);
                    Ephemeral event = switch (f.get(0)) {
                        case "p" -> new Ephemeral.Presence(room, f.get(1), "1".equals(f.get(2)));
                        case "t" -> new Ephemeral.Typing(room, f.get(1));
                        default -> null;
                    };
                    if (event != null) {
                        o.feed.inOrder(() -> listener.onEphemeral(event));
                    }
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "unknown publication on room " + room);
            }
        }

        @Override
        public void onNodeMessage(byte[] payload) {
            List<String> f = Fields.decode(payload, 1);
            switch (payload[0]) {
                case 'd' -> listener.onDirect(f.get(0), new Direct(f.get(1), f.get(2), f.get(3), Long.parseLong(f.get(4))));
                case 'k' -> {
                    // onKick calls the broker back (it leaves rooms, frees the name): not on the reader thread.
                    Thread.ofVirtual().start(() -> listener.onKick(f.get(0), Integer.parseInt(f.get(1)), f.get(2)));
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "unknown node message");
            }
        }

        @Override
        public void onClusterEvent(byte[] payload) {
            if (payload.length > 1 && (payload[0] == '+' || payload[0] == '-')) {
                listener.onRoomEvent(new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8), payload[0] == '+');
            }
        }

        @Override
        public void onLost(String room) {
            Open o = open.get(room);
            if (o != null) {
                o.feed.beginSync();
            }
        }

        @Override
        public void onResubscribed(String room) {
            Open o = open.get(room);
            if (o != null) {
                try {
                    o.feed.synced();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "room " + room + " could not catch up yet: " + e.getMessage());
                }
            }
        }
    }
}
