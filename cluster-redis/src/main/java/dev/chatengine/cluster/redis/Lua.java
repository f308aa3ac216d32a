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
     * Publish one message: KEYS meta, stream; ARGV candidate epoch, the publication id as a field, the
     * message data (fields), maxlen, stream ttl s, meta ttl s, the epoch and last seq the caller knows,
     * channel. Returns {epoch, seq}.
     *
     * <p>A room without meta gets the candidate epoch (and its stale stream is deleted). The seq is
     * {@code HINCRBY}: the stream's explicit id {@code <seq>-0} makes Redis refuse a seq that does not grow,
     * and a counter that went back below what the caller already saw in the same epoch (state lost to a
     * failover or restore) starts a new epoch: a new life of the room, so that clients get recovered:false
     * rather than two messages with one seq. The channel gets {@code m} followed by the fields epoch, seq,
     * publication id and the data fields.
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
            if epoch == ARGV[7] and seq <= tonumber(ARGV[8]) then
              epoch = fresh()
              seq = redis.call('HINCRBY', KEYS[1], 's', 1)
            end
            local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[4], seq .. '-0', 'd', ARGV[3])
            if type(added) == 'table' and added.err then
              epoch = fresh()
              seq = redis.call('HINCRBY', KEYS[1], 's', 1)
              redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], seq .. '-0', 'd', ARGV[3])
            end
            redis.call('EXPIRE', KEYS[2], ARGV[5])
            redis.call('EXPIRE', KEYS[1], ARGV[6])
            local s = tostring(seq)
            redis.call('PUBLISH', ARGV[9], 'm' .. #epoch .. ':' .. epoch .. #s .. ':' .. s .. ARGV[2] .. ARGV[3])
            return {epoch, seq}
            """);

    /**
     * A room's position and its last messages in one step, giving it an epoch if it has none: KEYS meta,
     * stream; ARGV count, candidate epoch, meta ttl s. Returns {epoch, seq, entries of XREVRANGE + - COUNT n,
     * 1 if this call began the room's life}.
     */
    static final Script SNAPSHOT = Script.of("snapshot", """
            local created = 0
            local e = redis.call('HGET', KEYS[1], 'e')
            if not e then
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', ARGV[2], 's', 0)
              redis.call('EXPIRE', KEYS[1], ARGV[3])
              e = ARGV[2]
              created = 1
            end
            local s = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
            local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[1])
            return {e, s, entries, created}
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
     * {@code node|client|name}, room, the cluster's event channel. Orders members by the room's join
     * counter; the room's first member announces {@code +room} (it appears in the room list). The two sets
     * are outside the room's slot: under Redis Cluster they move to a pipeline beside the script.
     */
    static final Script MEMBER_ADD = Script.of("member_add", """
            local added = 0
            if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
              local j = redis.call('HINCRBY', KEYS[1], 'j', 1)
              added = redis.call('ZADD', KEYS[2], j, ARGV[1])
            end
            redis.call('SADD', KEYS[3], ARGV[2])
            redis.call('SADD', KEYS[4], ARGV[2])
            if added == 1 and redis.call('ZCARD', KEYS[2]) == 1 then redis.call('PUBLISH', ARGV[3], '+' .. ARGV[2]) end
            return added
            """);

    /**
     * A member leaves: KEYS members, global rooms set; ARGV entry, room, the cluster's event channel. With
     * its last member the room leaves the list ({@code -room}). Returns 1 if the entry was there.
     */
    static final Script MEMBER_REMOVE = Script.of("member_remove", """
            local removed = redis.call('ZREM', KEYS[1], ARGV[1])
            if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
              redis.call('SREM', KEYS[2], ARGV[2])
              redis.call('PUBLISH', ARGV[3], '-' .. ARGV[2])
            end
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
