/**
 * Rooms shared by several chat servers through Redis: {@link dev.chatengine.cluster.redis.RedisBroker}, a
 * {@code ChatBroker} for the engine's chat service, and its {@link dev.chatengine.cluster.redis.RedisClusterConfig}.
 * Jedis is the one dependency it adds; no Redis type appears in its API.
 */
module dev.chatengine.cluster.redis {
    requires dev.chatengine.engine;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;
    exports dev.chatengine.cluster.redis;
}
