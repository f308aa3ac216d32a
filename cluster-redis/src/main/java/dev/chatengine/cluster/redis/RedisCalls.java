package dev.chatengine.cluster.redis;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import dev.chatengine.engine.chat.spi.BrokerUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The node's ordinary (non-pub/sub) connections to Redis: a pool, scripts by {@code EVALSHA} with the
 * {@code EVAL} fallback, and one exception for "Redis is not there" ({@link BrokerUnavailableException}).
 *
 * <p>Thread-safe: every call borrows a pooled connection for its duration.
 */
final class RedisCalls implements AutoCloseable {

    private final RedisClusterConfig config;
    private final JedisClientConfig clientConfig;
    private final RedisClient client;

    RedisCalls(RedisClusterConfig config) {
        this(config, config.poolSize());
    }

    /** With a pool of its own of {@code poolSize} connections (the heartbeat's: 2). */
    RedisCalls(RedisClusterConfig config, int poolSize) {
        this.config = config;
        this.clientConfig = clientConfig(config, (int) config.commandTimeout().toMillis());
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(config.poolWait());   // a starved pool queues the caller (a virtual thread) for a while, then fails
        pool.setJmxEnabled(false);
        this.client = RedisClient.builder().hostAndPort(host(config)).clientConfig(clientConfig).poolConfig(pool).build();
    }

    static HostAndPort host(RedisClusterConfig config) {
        return new HostAndPort(config.uri().getHost(), config.port());
    }

    static JedisClientConfig clientConfig(RedisClusterConfig config, int socketTimeoutMillis) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) config.commandTimeout().toMillis())
                .socketTimeoutMillis(socketTimeoutMillis)
                .clientName("chatengine-" + config.nodeId())
                .resp2();
        String userInfo = config.uri().getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                b.password(userInfo);
            } else {
                if (colon > 0) {
                    b.user(userInfo.substring(0, colon));
                }
                b.password(userInfo.substring(colon + 1));
            }
        }
        return b.build();
    }

    /** A new dedicated connection (for pub/sub): the caller closes it. */
    Jedis dedicated() {
        return new Jedis(host(config), clientConfig(config, 0));
    }

    /** Runs {@code script}, loading it first if the server does not know it (a restarted Redis). */
    Object eval(Lua.Script script, List<String> keys, List<String> args) {
        return call(c -> {
            try {
                return c.evalsha(script.sha(), keys, args);
            } catch (JedisNoScriptException e) {
                return c.eval(script.source(), keys, args);
            }
        });
    }

    /** Runs {@code action} on the pool, turning "cannot reach Redis" into {@link BrokerUnavailableException}. */
    <T> T call(Function<RedisClient, T> action) {
        try {
            return action.apply(client);
        } catch (JedisConnectionException e) {
            throw new BrokerUnavailableException("Redis at " + config.uri().getHost() + ":" + config.port()
                    + " is unreachable: " + e.getMessage(), e);
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            if (e.getCause() instanceof java.io.IOException || e.getCause() instanceof java.util.NoSuchElementException) {
                throw new BrokerUnavailableException("Redis is unreachable: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    Duration commandTimeout() {
        return config.commandTimeout();
    }

    @Override
    public void close() {
        client.close();
    }
}
