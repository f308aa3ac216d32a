package dev.chatengine.cluster.redis;

import dev.chatengine.engine.chat.spi.Member;
import dev.chatengine.engine.chat.spi.MemberList;
import dev.chatengine.engine.chat.spi.RoomPage;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * What the cluster knows of its nodes and of who is where: node heartbeats, room members, names.
 *
 * <ul>
 *   <li>Heartbeat: {@code SET c:node:<id> PX nodeTtl GET} every beat. When the key was gone (Redis lost its
 *       data, or this node was taken for dead), the node re-asserts its names and members.</li>
 *   <li>Members: {@code c:{room}:mem}, a sorted set of {@code node|client|name} scored by the room's join
 *       counter. Readers hide the entries of nodes whose heartbeat expired; an elected reaper
 *       ({@code SET NX PX}) removes them and publishes their leaves.</li>
 *   <li>Names: {@code c:name:<key>} = {@code node|client|name}, {@code SET NX PX nameTtl}, refreshed every
 *       beat, released by compare-and-delete; a dead node's name can be claimed at once.</li>
 * </ul>
 *
 * <p>Thread-safe. Queries and claims throw {@link dev.chatengine.engine.chat.spi.BrokerUnavailableException}
 * when Redis is away; removals and releases never throw (they are retried on the next beat).
 */
final class NodeRegistry {

    private static final System.Logger LOG = System.getLogger(NodeRegistry.class.getName());

    /** Who holds a name: the node, and the name as it logged in. */
    record Holder(String node, String name) {
    }

    private record Removal(String room, String entry) {
    }

    private final RedisCalls calls;
    /** The heartbeat's own connections: a burst of requests that fills the pool must not stop the heartbeat. */
    private final RedisCalls control;
    private final RedisClusterConfig config;
    private final String nodeId;
    private final BiConsumer<String, String> onReaped;
    /** Names this node holds: key to owner value. */
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
    /** Member entries of this node's clients, by room. */
    private final ConcurrentHashMap<String, Set<String>> members = new ConcurrentHashMap<>();
    private final Set<Removal> pendingRemovals = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, String> pendingReleases = new ConcurrentHashMap<>();
    /** Nodes registered whose heartbeat expired and that the reaper has not removed yet (their entries are hidden). */
    private volatile Set<String> deadNodes = Set.of();
    private volatile boolean healthy;
    private long beats;

    NodeRegistry(RedisCalls calls, RedisCalls control, RedisClusterConfig config, BiConsumer<String, String> onReaped) {
        this.calls = calls;
        this.control = control;
        this.config = config;
        this.nodeId = config.nodeId();
        this.onReaped = onReaped;
    }

    boolean isHealthy() {
        return healthy;
    }

    private String entry(Member m) {
        return nodeId + "|" + m.clientId() + "|" + m.name();
    }

    private static String nodeOf(String entry) {
        int bar = entry.indexOf('|');
        return bar < 0 ? "" : entry.substring(0, bar);
    }

    private static String nameOf(String entry) {
        int second = entry.indexOf('|', entry.indexOf('|') + 1);
        return second < 0 ? entry : entry.substring(second + 1);
    }

    /**
     * A node is taken as live unless its heartbeat was seen expired (a node that started since the last beat is
     * not known yet, and must not have its members and names hidden meanwhile).
     */
    private boolean live(String node) {
        return node.equals(nodeId) || !deadNodes.contains(node);
    }

    // ---- the beat ----

    /** One heartbeat: refresh, re-assert if needed, reap dead nodes if elected. Never throws. */
    synchronized void beat() {
        try {
            String previous = control.call(c -> c.setGet(Keys.node(nodeId), Long.toString(System.currentTimeMillis()),
                    SetParams.setParams().px(config.nodeTtl().toMillis())));
            control.call(c -> c.sadd(Keys.NODES, nodeId));
            if (previous == null && beats > 0) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + ": Redis had forgotten this node; re-asserting "
                        + names.size() + " names and the members of " + members.size() + " rooms");
                reassert();
            }
            beats++;
            refreshNames();
            refreshLiveNodes();
            retryPending();
            Object elected = control.eval(Lua.REAPER_ELECT, List.of(Keys.REAPER),
                    List.of(nodeId, Long.toString(config.nodeTtl().toMillis())));
            if (Long.valueOf(1).equals(elected)) {
                reapDeadNodes();
            }
            healthy = true;
        } catch (RuntimeException e) {
            if (healthy) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + ": Redis heartbeat failed: " + e.getMessage());
            }
            healthy = false;
        }
    }

    private void reassert() {
        for (Map.Entry<String, String> n : names.entrySet()) {
            control.eval(Lua.NAME_CLAIM, List.of(Keys.name(n.getKey()), Keys.nodeNames(nodeId)),
                    List.of(n.getValue(), Long.toString(config.nameTtl().toMillis()), "c:node:"));
        }
        for (Map.Entry<String, Set<String>> r : members.entrySet()) {
            for (String e : r.getValue()) {
                addEntry(control, r.getKey(), e);
            }
        }
    }

    private void refreshNames() {
        if (names.isEmpty()) {
            return;
        }
        List<String> held = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(config.nameTtl().toMillis()));
        for (Map.Entry<String, String> n : names.entrySet()) {
            held.add(n.getKey());
            keys.add(Keys.name(n.getKey()));
            args.add(n.getValue());
        }
        List<?> kept = (List<?>) control.eval(Lua.NAME_REFRESH, keys, args);
        for (int i = 0; i < kept.size(); i++) {
            // A name released meanwhile (its client left) is not lost: only one still held here counts.
            if (Long.valueOf(0).equals(kept.get(i)) && args.get(i + 1).equals(names.get(held.get(i)))) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " lost its claim on " + keys.get(i)
                        + " (expired while Redis was away, or taken after this node was taken for dead)");
            }
        }
    }

    private void refreshLiveNodes() {
        Set<String> nodes = control.call(c -> c.smembers(Keys.NODES));
        List<String> ids = new ArrayList<>(nodes);
        if (ids.isEmpty()) {
            deadNodes = Set.of();
            return;
        }
        List<String> beats = control.call(c -> c.mget(ids.stream().map(Keys::node).toArray(String[]::new)));
        Set<String> dead = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (beats.get(i) == null) {
                dead.add(ids.get(i));
            }
        }
        dead.remove(nodeId);
        deadNodes = Set.copyOf(dead);
    }

    private void retryPending() {
        for (Removal r : pendingRemovals) {
            removeEntry(control, r.room(), r.entry());
            pendingRemovals.remove(r);
        }
        for (Map.Entry<String, String> n : pendingReleases.entrySet()) {
            control.eval(Lua.NAME_RELEASE, List.of(Keys.name(n.getKey()), Keys.nodeNames(nodeId)), List.of(n.getValue()));
            pendingReleases.remove(n.getKey(), n.getValue());
        }
    }

    private void reapDeadNodes() {
        for (String node : control.call(c -> c.smembers(Keys.NODES))) {
            if (!deadNodes.contains(node)) {
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " reaps dead node " + node);
            String prefix = node + "|";
            for (String room : control.call(c -> c.smembers(Keys.nodeRooms(node)))) {
                for (String e : control.call(c -> c.zrange(Keys.members(room), 0, -1))) {
                    if (e.startsWith(prefix) && removeEntry(control, room, e)) {
                        onReaped.accept(room, nameOf(e));
                    }
                }
            }
            for (String nameKey : control.call(c -> c.smembers(Keys.nodeNames(node)))) {
                String owner = control.call(c -> c.get(nameKey));
                if (owner != null && owner.startsWith(prefix)) {
                    control.eval(Lua.NAME_RELEASE, List.of(nameKey, Keys.nodeNames(node)), List.of(owner));
                }
            }
            control.call(c -> c.del(Keys.nodeRooms(node), Keys.nodeNames(node)));
            control.call(c -> c.srem(Keys.NODES, node));
        }
    }

    /** A clean stop: this node's members leave and its names are freed at once, not after the TTL. */
    void leave() {
        try {
            for (Map.Entry<String, Set<String>> r : members.entrySet()) {
                for (String e : r.getValue()) {
                    if (removeEntry(calls, r.getKey(), e)) {
                        onReaped.accept(r.getKey(), nameOf(e));
                    }
                }
            }
            for (Map.Entry<String, String> n : names.entrySet()) {
                calls.eval(Lua.NAME_RELEASE, List.of(Keys.name(n.getKey()), Keys.nodeNames(nodeId)), List.of(n.getValue()));
            }
            calls.call(c -> c.del(Keys.node(nodeId), Keys.nodeRooms(nodeId), Keys.nodeNames(nodeId)));
            calls.call(c -> c.srem(Keys.NODES, nodeId));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "leaving the cluster cleanly failed; the TTLs will do it: " + e.getMessage());
        }
    }

    // ---- members ----

    boolean addMember(String room, Member member) {
        String e = entry(member);
        boolean added = addEntry(calls, room, e);
        members.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(e);
        return added;
    }

    private static boolean addEntry(RedisCalls via, String room, String e) {
        Object r = via.eval(Lua.MEMBER_ADD, List.of(Keys.meta(room), Keys.members(room), Keys.ROOMS, Keys.nodeRooms(nodeOf(e))),
                List.of(e, room, Subscriber.EVENTS));
        return Long.valueOf(1).equals(r);
    }

    boolean removeMember(String room, Member member) {
        String e = entry(member);
        members.computeIfPresent(room, (r, set) -> {
            set.remove(e);
            return set.isEmpty() ? null : set;
        });
        try {
            return removeEntry(calls, room, e);
        } catch (RuntimeException down) {
            pendingRemovals.add(new Removal(room, e));
            return true; // it is leaving: the others hear it when Redis is back (or from the reaper)
        }
    }

    private static boolean removeEntry(RedisCalls via, String room, String e) {
        Object r = via.eval(Lua.MEMBER_REMOVE, List.of(Keys.members(room), Keys.ROOMS), List.of(e, room, Subscriber.EVENTS));
        return Long.valueOf(1).equals(r);
    }

    /** The room's members on live nodes, oldest first: at most {@code limit} names, and the total. */
    MemberList members(String room, int limit) {
        if (deadNodes.isEmpty()) {
            // Nothing to hide: the count and the first names are O(limit), not O(members) (a 10,000-member room).
            long total = calls.call(c -> c.zcard(Keys.members(room)));
            List<String> names = new ArrayList<>();
            if (limit > 0) {
                for (String e : calls.call(c -> c.zrange(Keys.members(room), 0, limit - 1))) {
                    names.add(nameOf(e));
                }
            }
            return new MemberList(names, (int) total);
        }
        List<String> all = calls.call(c -> c.zrange(Keys.members(room), 0, -1));
        List<String> names = new ArrayList<>(Math.min(all.size(), Math.max(limit, 0)));
        int total = 0;
        for (String e : all) {
            if (live(nodeOf(e))) {
                if (total < limit) {
                    names.add(nameOf(e));
                }
                total++;
            }
        }
        return new MemberList(names, total);
    }

    /** Rooms with members anywhere, by members (most first) then name; the cursor is the last room's name. */
    RoomPage rooms(int limit, String cursor) {
        List<String> rooms = new ArrayList<>(calls.call(c -> c.smembers(Keys.ROOMS)));
        List<Response<Long>> counts = new ArrayList<>(rooms.size());
        calls.call(c -> {
            try (AbstractPipeline p = c.pipelined()) {
                for (String r : rooms) {
                    counts.add(p.zcard(Keys.members(r)));
                }
                p.sync();
            }
            return null;
        });
        List<RoomPage.RoomInfo> all = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            int n = (int) (long) counts.get(i).get();
            if (n > 0) {
                all.add(new RoomPage.RoomInfo(rooms.get(i), n));
            }
        }
        all.sort(Comparator.comparingInt(RoomPage.RoomInfo::members).reversed().thenComparing(RoomPage.RoomInfo::name));
        int start = 0;
        if (cursor != null) {
            int colon = cursor.indexOf(':');
            if (colon > 0) {
                int members = Integer.parseInt(cursor.substring(0, colon));
                String name = cursor.substring(colon + 1);
                while (start < all.size() && (all.get(start).members() > members
                        || (all.get(start).members() == members && all.get(start).name().compareTo(name) <= 0))) {
                    start++;
                }
            }
        }
        int end = Math.min(all.size(), start + Math.max(1, limit));
        List<RoomPage.RoomInfo> page = all.subList(start, end);
        String next = end < all.size() ? page.getLast().members() + ":" + page.getLast().name() : null;
        return new RoomPage(page, all.size(), next);
    }

    // ---- names ----

    boolean claimName(Member member) {
        String owner = entry(member);
        Object r = calls.eval(Lua.NAME_CLAIM, List.of(Keys.name(member.key()), Keys.nodeNames(nodeId)),
                List.of(owner, Long.toString(config.nameTtl().toMillis()), "c:node:"));
        if (Long.valueOf(1).equals(r)) {
            names.put(member.key(), owner);
            return true;
        }
        return false;
    }

    void releaseName(Member member) {
        String owner = entry(member);
        if (!names.remove(member.key(), owner)) {
            return;
        }
        try {
            calls.eval(Lua.NAME_RELEASE, List.of(Keys.name(member.key()), Keys.nodeNames(nodeId)), List.of(owner));
        } catch (RuntimeException down) {
            pendingReleases.put(member.key(), owner);
        }
    }

    Optional<Holder> holder(String key) {
        String owner = calls.call(c -> c.get(Keys.name(key)));
        if (owner == null || !live(nodeOf(owner))) {
            return Optional.empty();
        }
        return Optional.of(new Holder(nodeOf(owner), nameOf(owner)));
    }

    List<String> online(Collection<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> owners = calls.call(c -> c.mget(keys.stream().map(Keys::name).toArray(String[]::new)));
        List<String> out = new ArrayList<>();
        for (String o : owners) {
            if (o != null && live(nodeOf(o))) {
                out.add(nameOf(o));
            }
        }
        return out;
    }

    List<String> onlineNames(int limit) {
        List<String> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match("c:name:*").count(500);
        do {
            String c0 = cursor;
            ScanResult<String> page = calls.call(c -> c.scan(c0, params));
            cursor = page.getCursor();
            if (!page.getResult().isEmpty()) {
                List<String> owners = calls.call(c -> c.mget(page.getResult().toArray(String[]::new)));
                for (String o : owners) {
                    if (o != null && live(nodeOf(o)) && out.size() < limit) {
                        out.add(nameOf(o));
                    }
                }
            }
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && out.size() < limit);
        return out;
    }
}
