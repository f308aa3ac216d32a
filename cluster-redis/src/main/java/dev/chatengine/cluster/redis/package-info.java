/**
 * Rooms shared by several chat servers through one Redis. The API is two types:
 * {@link dev.chatengine.cluster.redis.RedisBroker}, the engine's {@code ChatBroker} for a cluster (give it to
 * {@code ChatService.builder(hub).broker(...)}), and its {@link dev.chatengine.cluster.redis.RedisClusterConfig};
 * {@link dev.chatengine.cluster.redis.RedisBrokerMetrics} is what it counts. Everything else is internal:
 * the Lua scripts ({@code Lua}), a room's history and order in Redis ({@code RoomLog}), a room's live feed on
 * this node ({@code RoomFeed}), the pub/sub connections ({@code Subscriber}) and the nodes, members and names
 * ({@code NodeRegistry}).
 */
package dev.chatengine.cluster.redis;
