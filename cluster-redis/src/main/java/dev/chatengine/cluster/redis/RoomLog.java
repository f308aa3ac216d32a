package dev.chatengine.cluster.redis;

import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A room's sequence and history in Redis: the meta hash (epoch, seq) and the stream of the last
 * {@code historySize} messages with ids {@code <seq>-0}.
 *
 * <p>Thread-safe (stateless over {@link RedisCalls}). Every method may throw {@link BrokerUnavailableException}.
 */
final class RoomLog {

    /** One stored message: its seq and its data (the fields the node encoded, see {@link Fields}). */
    record Entry(long seq, String data) {
    }

    /**
     * Where a room is: its epoch, its last seq, the last messages (oldest first), and whether reading it
     * began its life (it had no epoch).
     */
    record Snapshot(String epoch, long lastSeq, List<Entry> entries, boolean created) {
    }

    /** What {@link #publish} got from Redis. */
    record Published(String epoch, long seq) {
    }

    private final RedisCalls redis;
    private final RedisClusterConfig config;

    RoomLog(RedisCalls redis, RedisClusterConfig config) {
        this.redis = redis;
        this.config = config;
    }

    static String newEpoch() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Publishes {@code data} to the room (history and channel) in one step and returns the epoch and seq
     * Redis gave it.
     *
     * @param pubId      this publication's id, echoed on the channel (not stored) so that the origin knows its own
     * @param knownEpoch the epoch the caller last saw for the room (or null)
     * @param knownSeq   the last seq the caller saw in it: a counter below it starts a new epoch
     */
    Published publish(String room, String pubId, String data, String knownEpoch, long knownSeq) {
        Object result = redis.eval(Lua.PUBLISH, List.of(Keys.meta(room), Keys.stream(room)), List.of(
                newEpoch(), Fields.encode(pubId), data, Integer.toString(config.historySize()),
                Long.toString(Math.max(1, config.streamTtl().toSeconds())),
                Long.toString(Math.max(1, config.metaTtl().toSeconds())),
                knownEpoch == null ? "" : knownEpoch, Long.toString(knownSeq), Keys.channel(room)));
        List<?> list = (List<?>) result;
        return new Published((String) list.get(0), (Long) list.get(1));
    }

    /** The room's epoch (made if it has none), last seq and last {@code historySize} messages, read in one step. */
    Snapshot snapshot(String room) {
        List<?> list = (List<?>) redis.eval(Lua.SNAPSHOT, List.of(Keys.meta(room), Keys.stream(room)),
                List.of(Integer.toString(config.historySize()), newEpoch(),
                        Long.toString(Math.max(1, config.metaTtl().toSeconds()))));
        String epoch = (String) list.get(0);
        long seq = (Long) list.get(1);
        List<Entry> entries = new ArrayList<>();
        for (Object o : (List<?>) list.get(2)) {
            entries.add(entry((List<?>) o));
        }
        java.util.Collections.reverse(entries);
        return new Snapshot(epoch, seq, entries, ((Long) list.get(3)) == 1L);
    }

    /** The stored messages with {@code after < seq < before} (both exclusive), oldest first. */
    List<Entry> range(String room, long after, long before) {
        if (before <= after + 1) {
            return List.of();
        }
        List<StreamEntry> raw = redis.call(c -> c.xrange(Keys.stream(room), "(" + after + "-0", "(" + before + "-0"));
        List<Entry> out = new ArrayList<>(raw.size());
        for (StreamEntry e : raw) {
            out.add(new Entry(e.getID().getTime(), e.getFields().get("d")));
        }
        return out;
    }

    /** Each room's {@code [epoch, seq]} (nulls for a room without meta), read in one pipeline. */
    List<List<String>> positions(List<String> rooms) {
        return redis.call(c -> {
            List<redis.clients.jedis.Response<List<String>>> replies = new ArrayList<>(rooms.size());
            try (redis.clients.jedis.AbstractPipeline p = c.pipelined()) {
                for (String r : rooms) {
                    replies.add(p.hmget(Keys.meta(r), "e", "s"));
                }
                p.sync();
            }
            List<List<String>> out = new ArrayList<>(rooms.size());
            for (var reply : replies) {
                out.add(reply.get());
            }
            return out;
        });
    }

    /** Starts a new epoch if {@code expected} is still the room's; returns the epoch in force then. */
    String rotate(String room, String expected) {
        return (String) redis.eval(Lua.ROTATE, List.of(Keys.meta(room), Keys.stream(room)), List.of(expected, newEpoch()));
    }

    private static Entry entry(List<?> raw) {
        String id = (String) raw.get(0);
        List<?> fields = (List<?>) raw.get(1);
        String json = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("d".equals(fields.get(i))) {
                json = (String) fields.get(i + 1);
            }
        }
        return new Entry(Long.parseLong(id.substring(0, id.indexOf('-'))), json == null ? "" : json);
    }
}
