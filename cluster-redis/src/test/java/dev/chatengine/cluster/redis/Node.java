package dev.chatengine.cluster.redis;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.testing.IdentityEncoder;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One chat node for tests: a hub, a chat service and a {@link RedisBroker}, with in-memory clients
 * ({@link Peer}). Several in one JVM sharing one {@link RedisServer} are a cluster.
 */
final class Node implements AutoCloseable {

    /** Short timings so that the tests of failures finish quickly; the relations of the defaults hold. */
    static RedisClusterConfig.Builder fast(URI uri, String id) {
        return RedisClusterConfig.builder(uri).nodeId(id)
                .heartbeat(Duration.ofMillis(500)).nodeTtl(Duration.ofMillis(1500)).nameTtl(Duration.ofSeconds(3))
                .probeInterval(Duration.ofMillis(500)).probeTimeout(Duration.ofSeconds(2)).positionCheck(Duration.ofSeconds(1))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static ChatConfig chatConfig() {
        return ChatConfig.builder().messagesPerSecond(10_000).burst(10_000).build();
    }

    final Hub hub;
    final RedisBroker broker;
    final ChatService chat;
    private final List<Peer> peers = new ArrayList<>();

    Node(URI redis, String id) {
        this(fast(redis, id).build());
    }

    Node(RedisClusterConfig config) {
        this(config, UnaryOperator.identity());
    }

    Node(RedisClusterConfig config, UnaryOperator<ChatService.Builder> chatOptions) {
        hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
        broker = RedisBroker.create(config);
        chat = chatOptions.apply(ChatService.builder(hub).config(chatConfig()).broker(broker)).build();
    }

    /** A new client connected to this node (not logged in). */
    Peer connect() {
        Peer p = new Peer(this);
        synchronized (peers) {
            peers.add(p);
        }
        return p;
    }

    /** Stops the node without a goodbye to Redis (its keys stay until they expire), as a SIGKILL would. */
    void crash() {
        broker.crashForTest();
        hub.shutdown(Duration.ofSeconds(2));
    }

    @Override
    public void close() {
        synchronized (peers) {
            for (Peer p : peers) {
                p.close();
            }
        }
        hub.shutdown(Duration.ofSeconds(2));
        broker.close();
    }
}
