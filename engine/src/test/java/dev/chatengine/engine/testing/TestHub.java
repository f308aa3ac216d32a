package dev.chatengine.engine.testing;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.testing.InMemoryConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hub over in-memory connections: {@link #connect()} plays a transport accepting a connection,
 * serving it on a new virtual thread named {@code chat-read-<n>}. Closing it shuts the hub down.
 */
public final class TestHub implements AutoCloseable {

    private static final AtomicInteger READ_THREADS = new AtomicInteger();

    /** A connected test peer: its connection, the hub's client for it, and its read pump thread. */
    public record Peer(InMemoryConnection connection, Client client, Thread readPump) {
        public List<String> received() {
            return connection.received();
        }
    }

    private final Hub hub;
    private final ClientHandler handler;
    private final List<Thread> readPumps = new CopyOnWriteArrayList<>();

    public TestHub(HubConfig config, ClientHandler handler) {
        this.hub = Hub.create(config, IdentityEncoder.INSTANCE);
        this.handler = handler;
    }

    /** Short timings for tests: ping every 200 ms, pong wait 400 ms, close timeout 500 ms, write timeout 500 ms. */
    public static HubConfig.Builder fastConfig() {
        return HubConfig.builder()
                .pingPeriod(Duration.ofMillis(200))
                .pongWait(Duration.ofMillis(400))
                .closeTimeout(Duration.ofMillis(500))
                .writeTimeout(Duration.ofMillis(500));
    }

    public Hub hub() {
        return hub;
    }

    /** Serves a new in-memory connection and waits until the hub has registered it. */
    public Peer connect() {
        return connect(new InMemoryConnection());
    }

    public Peer connect(InMemoryConnection connection) {
        Thread readPump = start(connection);
        Client[] found = new Client[1];
        Await.until("client for " + connection + " registered", () -> {
            for (Client client : hub.clients()) {
                if (client.remoteAddress().equals(connection.remoteAddress())) {
                    found[0] = client;
                    return true;
                }
            }
            return false;
        });
        return new Peer(connection, found[0], readPump);
    }

    /** Serves {@code connection} on a new read-pump thread without waiting for anything. */
    public Thread start(InMemoryConnection connection) {
        Thread readPump = Thread.ofVirtual().name("chat-read-" + READ_THREADS.incrementAndGet())
                .start(() -> hub.serve(connection, handler));
        readPumps.add(readPump);
        return readPump;
    }

    public List<Thread> readPumps() {
        return List.copyOf(readPumps);
    }

    @Override
    public void close() {
        hub.shutdown(Duration.ofSeconds(5));
    }
}
