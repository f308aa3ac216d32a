package dev.chatengine.cluster.redis;

/**
 * The Redis key and channel names. A room's keys share one hash slot through the hash tag {@code {room}}
 * (so that its Lua scripts may touch them together, also under Redis Cluster): stream {@code c:{r}:s},
 * meta hash {@code c:{r}:m} (epoch {@code e}, seq {@code s}, join counter {@code j}), channel {@code c:{r}:p},
 * members {@code c:{r}:mem}. Node keys: heartbeat {@code c:node:<id>}, channel {@code c:node:<id>:p}, the
 * rooms and names it holds {@code c:node:<id>:rooms} / {@code :names}. Global: {@code c:rooms}, {@code c:nodes},
 * {@code c:reaper}, names {@code c:name:<key>}.
 *
 * <p>Room names are the chat's (validated, no braces expected); a brace would only move the slot.
 */
final class Keys {

    private Keys() {
    }

    static String stream(String room) { return "c:{" + room + "}:s"; }
    static String meta(String room) { return "c:{" + room + "}:m"; }
    static String channel(String room) { return "c:{" + room + "}:p"; }
    static String members(String room) { return "c:{" + room + "}:mem"; }

    static final String ROOMS = "c:rooms";
    static final String NODES = "c:nodes";
    static final String REAPER = "c:reaper";

    static String node(String id) { return "c:node:" + id; }
    static String nodeChannel(String id) { return "c:node:" + id + ":p"; }
    static String nodeRooms(String id) { return "c:node:" + id + ":rooms"; }
    static String nodeNames(String id) { return "c:node:" + id + ":names"; }
    static String name(String key) { return "c:name:" + key; }

    /** The room of a room channel {@code c:{room}:p}, or null for another channel. */
    static String roomOfChannel(String channel) {
        if (channel.startsWith("c:{") && channel.endsWith("}:p")) {
            return channel.substring(3, channel.length() - 3);
        }
        return null;
    }
}
