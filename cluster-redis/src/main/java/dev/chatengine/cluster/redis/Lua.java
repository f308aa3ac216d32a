package dev.chatengine.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts. Redis runs one script at a time, so each is one atomic step; a room's scripts touch only
 * that room's keys (one hash slot) except where said. Sent by {@code EVALSHA}, falling back to {@code EVAL}
 * when the server does not know the script (after a restart): see {@link RedisCalls#eval}.
 */
final class Lua {

    private Lua() {
    }

    /** A script's text and SHA-1. */
    record Script(String name, String source, String sha) {
        static Script of(String name, String source) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                return new Script(name, source, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Publish one message: KEYS meta, stream; ARGV candidate epoch, pubId, json head, json tail, maxlen,
     * stream ttl s, meta ttl s, the epoch and last seq the caller knows, channel. Returns {epoch, seq}.
     *
     * <p>A room without meta gets the candidate epoch (and its stale stream is deleted). The seq is
     * {@code HINCRBY}: the stream's explicit id {@code <seq>-0} makes Redis refuse a seq that does not grow,
     * and a counter that went back below what the caller already saw in the same epoch (state lost to a
     * failover or restore) starts a new epoch: a new life of the room, so that clients get recovered:false
     * rather than two messages with one seq. The stored and published json is {@code head .. seq .. tail}.
     */
    static final Script PUBLISH = Script.of("publish", """
            local function fresh()
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', ARGV[1], 's', 0)
              return ARGV[1]
            end
            local epoch = redis.call('HGET', KEYS[1], 'e')
            if not epoch then epoch = fresh() end
            local seq = redis.call('HINCRBY', KEYS[1], 's', 1)
            if epoch == ARGV[8] and seq <= tonumber(ARGV[9]) then
              epoch = fresh()
              seq = redis.call('HINCRBY', KEYS[1], 's', 1)
            end
            local json = ARGV[3] .. seq .. ARGV[4]
            local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[5], seq .. '-0', 'd', json)
            if type(added) == 'table' and added.err then
              epoch = fresh()
              seq = redis.call('HINCRBY', KEYS[1], 's', 1)
              json = ARGV[3] .. seq .. ARGV[4]
              redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[5], seq .. '-0', 'd', json)
            end
            redis.call('EXPIRE', KEYS[2], ARGV[6])
            redis.call('EXPIRE', KEYS[1], ARGV[7])
            redis.call('PUBLISH', ARGV[10], 'm' .. epoch .. ':' .. seq .. ':' .. ARGV[2] .. ':' .. json)
            return {epoch, seq}
            """);

    /**
     * A room's position and its last messages in one step: KEYS meta, stream; ARGV count. Returns
     * {epoch or false, seq, entries of XREVRANGE + - COUNT n}.
     */
    static final Script SNAPSHOT = Script.of("snapshot", """
            local m = redis.call('HMGET', KEYS[1], 'e', 's')
            local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[1])
            return {m[1], tonumber(m[2] or '0'), entries}
            """);

    /**
     * Rotate the epoch if it is still the one given (compare and set): KEYS meta, stream; ARGV expected
     * epoch, new epoch. Returns the epoch in force afterwards.
     */
    static final Script ROTATE = Script.of("rotate", """
            local e = redis.call('HGET', KEYS[1], 'e')
            if e == ARGV[1] then
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', ARGV[2], 's', 0)
              return ARGV[2]
            end
            return e
            """);

    /**
     * A member joins: KEYS meta, members, global rooms set, node rooms set; ARGV entry
     * {@code node|client|name}, room, channel, event payload. Orders members by the room's join counter
     * and announces the join on the room's channel. (The two sets are outside the room's slot: under
     * Redis Cluster they move to a pipeline beside the script.)
     */
    static final Script MEMBER_ADD = Script.of("member_add", """
            local j = redis.call('HINCRBY', KEYS[1], 'j', 1)
            local added = redis.call('ZADD', KEYS[2], 'NX', j, ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[2])
            redis.call('SADD', KEYS[4], ARGV[2])
            if added == 1 and ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
            return added
            """);

    /**
     * A member leaves: KEYS members, global rooms set; ARGV entry, room, channel, event payload. The room
     * leaves the global list with its last member. Returns 1 if the entry was there.
     */
    static final Script MEMBER_REMOVE = Script.of("member_remove", """
            local removed = redis.call('ZREM', KEYS[1], ARGV[1])
            if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
            if removed == 1 and ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
            return removed
            """);

    /**
     * Claim a name: KEYS name key, node names set; ARGV owner {@code node|client}, ttl ms, the node
     * heartbeat key prefix. Free, ours already, or held by a node whose heartbeat expired: ours (1);
     * otherwise 0.
     */
    static final Script NAME_CLAIM = Script.of("name_claim", """
            local cur = redis.call('GET', KEYS[1])
            if cur and cur ~= ARGV[1] then
              local node = string.match(cur, '^([^|]*)|')
              if node and redis.call('EXISTS', ARGV[3] .. node) == 1 then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], KEYS[1])
            return 1
            """);

    /** Release a name if it is still ours (compare and delete): KEYS name key, node names set; ARGV owner. */
    static final Script NAME_RELEASE = Script.of("name_release", """
            redis.call('SREM', KEYS[2], KEYS[1])
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    /**
     * Refresh names still ours: KEYS name keys; ARGV ttl ms, then one owner per key. Returns, per key,
     * 1 if refreshed, 0 if lost (expired or taken).
     */
    static final Script NAME_REFRESH = Script.of("name_refresh", """
            local out = {}
            for i, k in ipairs(KEYS) do
              if redis.call('GET', k) == ARGV[i + 1] then
                redis.call('PEXPIRE', k, ARGV[1]); out[i] = 1
              else out[i] = 0 end
            end
            return out
            """);

    /** Keep the reaper role if held (or take it if free): KEYS reaper; ARGV node, ttl ms. Returns 1 if ours. */
    static final Script REAPER_ELECT = Script.of("reaper_elect", """
            local cur = redis.call('GET', KEYS[1])
            if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if not cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0
            """);
}
