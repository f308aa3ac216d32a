package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.MessageEncoder;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub: every connected {@link Client} and every {@link Room}. Thread-safe: every method may be
 * called from any thread.
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubConfig.defaults(), transportEncoder);
 * // in the transport's per-connection thread (a virtual thread):
 * hub.serve(connection, myHandler);
 * // elsewhere:
 * hub.room("lobby").broadcast(hub.encoder().text("hello"));
 * hub.shutdown(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Threads: each client has a read pump (the thread that called {@link #serve}) and a write pump
 * (a virtual thread named {@code chat-write-<id>}, started on demand: it runs while the client has
 * something to be written, a ping due or a close to finish, and ends when idle, so that an idle
 * client holds only its read pump); the hub has one watchdog
 * virtual thread, {@code chat-hub-reaper}, which enforces {@link HubConfig#writeTimeout()},
 * {@link HubConfig#pongWait()} and {@link HubConfig#closeTimeout()}. {@link #shutdown} ends them all.
 *
 * <p>Rooms are created on first use by {@link #room(String)} and kept until
 * {@link #removeRoomIfEmpty(String)} retires them; the hub itself never does (an application that
 * keeps history per room wants them to outlive their members). An application whose clients may
 * name ever-new rooms should retire each room it no longer needs when its last member leaves, and
 * then join through {@link #join(String, Client)} or {@link #atomically(String, Function)}: a
 * {@link Room} looked up before it was retired refuses joins (see {@link Room}), and these two take
 * the live room of the name instead:
 *
 * <pre>{@code
 * hub.join("lobby", client);
 * // ... later, when the client goes:
 * hub.atomically("lobby", tx -> tx.leave(client));
 * hub.removeRoomIfEmpty("lobby");      // gone unless someone else is in it
 * }</pre>
 */
public final class Hub implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    /** How long {@link #shutdown} waits, after cutting the connections that remain, for their pumps to finish. */
    static final Duration ABORT_SETTLE_TIME = Duration.ofSeconds(1);

    /** Shedding frees down to this share of the memory budget, so that one message more does not shed again at once. */
    static final int SHED_TARGET_PERCENT = 90;

    /** What {@link Room#atomicallyUnlessRetired} returns for a retired room in {@link #atomically(String, Function)}. */
    private static final Object RETIRED = new Object();

    private final HubConfig config;
    private final MessageEncoder encoder;
    private final HubMetrics metrics;
    private final HubListeners listeners = new HubListeners();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong lastClientId = new AtomicLong();
    private final Reaper reaper;
    private final Thread reaperThread;

    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private final Condition clientLeft = lifecycleLock.newCondition();
    private volatile boolean shuttingDown;

    private Hub(HubConfig config, MessageEncoder encoder) {
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.metrics = new HubMetrics(this, config.memoryBudgetBytes());
        this.reaper = new Reaper(this, config);
        this.reaperThread = Thread.ofVirtual().name("chat-hub-reaper").unstarted(reaper);
    }

    /**
     * A running hub that encodes with {@code encoder} (the transport's). Starts the hub's watchdog
     * thread; stop it with {@link #shutdown} or {@link #close()}.
     */
    public static Hub create(HubConfig config, MessageEncoder encoder) {
        Hub hub = new Hub(config, encoder);
        hub.reaperThread.start();
        return hub;
    }

    /** The settings this hub was created with. */
    public HubConfig config() {
        return config;
    }

    /** The transport's encoder: encode a message once with it, then send or broadcast the result. */
    public MessageEncoder encoder() {
        return encoder;
    }

    /**
     * Serves one client until it is gone: registers it, calls {@code handler.onOpen}, and runs its
     * read pump on the calling thread, which should be a virtual thread (the transport's
     * per-connection thread). Its write pump runs on a virtual thread of its own, started whenever
     * there is something to write and ending when there is nothing. Returns once the client has
     * left, its write pump has finished the close and {@code handler.onClose} has run. A hub that is shut
     * down closes the connection at once with {@link DisconnectReason#SHUTDOWN}.
     *
     * <p>From then on the hub owns {@code connection}: it calls {@code read()} on this thread only,
     * and {@code write}, {@code ping} and {@code close} on the write pump only.
     */
    public void serve(Connection connection, ClientHandler handler) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(handler, "handler");
        if (shuttingDown) {
            refuse(connection);
            return;
        }
        Client client = new Client(lastClientId.incrementAndGet(), connection, config, metrics, listeners);
        // Before anyone can wake the write pump: from now on it may start at any moment.
        connection.useWriter(client.pump()::wake);
        clients.put(client.id(), client);
        metrics.connectionOpened();
        // Re-check after registering: shutdown either sees this client or we see the flag.
        if (shuttingDown) {
            client.close(DisconnectReason.SHUTDOWN);
        }
        listeners.connected(client);
        new ReadPump(this, client, handler, metrics).run();
    }

    /**
     * The room named {@code name}, created empty if there is none. Where rooms are retired
     * ({@link #removeRoomIfEmpty}), the room returned may be retired by the time it is used: join
     * through {@link #join(String, Client)} or {@link #atomically(String, Function)} instead.
     */
    public Room room(String name) {
        Objects.requireNonNull(name, "name");
        Room room = rooms.get(name);
        return room != null ? room : rooms.computeIfAbsent(name, n -> new Room(n, metrics));
    }

    /** The room named {@code name}, if it exists. */
    public Optional<Room> findRoom(String name) {
        return Optional.ofNullable(rooms.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Adds {@code client} to the live room named {@code room} (created if there is none), never to
     * a retired one; false if it was a member already or is closed. Shorthand for
     * {@code atomically(room, tx -> tx.join(client))}.
     */
    public boolean join(String room, Client client) {
        Objects.requireNonNull(client, "client");
        return atomically(room, tx -> tx.join(client));
    }

    /**
     * Runs {@code body} in the order of the live room named {@code room} (created if there is none),
     * as {@link Room#atomically} does, but never in a retired room: if the room it looked up was
     * retired before the body could start, it looks again and runs the body in the new room. The
     * body runs exactly once.
     *
     * @return what {@code body} returns
     */
    public <T> T atomically(String room, Function<Room.Transaction, T> body) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(body, "body");
        @SuppressWarnings("unchecked")
        T retired = (T) RETIRED; // a marker no body can return: it is private to the hub
        while (true) {
            T result = room(room).atomicallyUnlessRetired(body, retired);
            if (result != retired) {
                return result;
            }
            // Lost a race with removeRoomIfEmpty: the room was taken out of the map under its lock, so we see a new one.
        }
    }

    /**
     * Forgets the room named {@code name} if it has no members: it is retired ({@link Room#isRetired()},
     * it refuses joins from then on) and removed from the hub, under its order lock, so no join can
     * land in it on the way; {@link HubMetrics#rooms()} goes down. The next {@link #room(String)} of the
     * name makes a new, empty room. Messages the room accepted before are still delivered. May be
     * called inside that room's {@link Room#atomically} body (the lock is reentrant), for example right
     * after the last leave. Do not call it from another room's body.
     *
     * @return true if this call retired the room; false if there is no such room or it has members
     */
    public boolean removeRoomIfEmpty(String name) {
        Objects.requireNonNull(name, "name");
        Room room = rooms.get(name);
        // A room not retired is the one in the map for its name (it leaves the map only by retiring).
        return room != null && room.retireIfEmpty(() -> rooms.remove(name, room));
    }

    /** A snapshot of the rooms (the live ones: retired rooms have left the hub). */
    public Collection<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    /** A snapshot of the connected clients (registered and not yet gone, closing ones included). */
    public Collection<Client> clients() {
        return List.copyOf(clients.values());
    }

    /**
     * Adds {@code listener}, which hears from now on about every client connecting, being dropped,
     * and leaving (see {@link HubListener} for the threads). Add listeners before the hub serves its
     * first connection to hear about every client.
     */
    public void addListener(HubListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes {@code listener}; false if it was not added. */
    public boolean removeListener(HubListener listener) {
        return listeners.remove(listener);
    }

    /** Live counters and gauges. */
    public HubMetrics metrics() {
        return metrics;
    }

    /**
     * True while the messages waiting in the send queues ({@link HubMetrics#queuedBytes()}, each shared
     * message once) are over {@link HubConfig#memoryBudgetBytes()}. A transport should refuse new
     * connections meanwhile (the WebSocket handler answers 503); the hub itself sheds the clients
     * holding the most with {@link DisconnectReason#MEMORY_BUDGET} until it is back under budget.
     * Cheap: one volatile read.
     */
    public boolean isOverMemoryBudget() {
        return metrics.isOverMemoryBudget();
    }

    /** True once {@link #shutdown} has begun. */
    public boolean isShutdown() {
        return shuttingDown;
    }

    /**
     * Closes every client with {@link DisconnectReason#SHUTDOWN}, waits up to {@code grace} for
     * their close handshakes, cuts what is left, and stops the hub's own threads. New connections
     * given to {@link #serve} afterwards are closed at once. Idempotent.
     *
     * <p>Returns when every client is gone, or, if some client's {@link ClientHandler#onClose} does
     * not return, {@link #ABORT_SETTLE_TIME} after the connections were cut. The hub's watchdog
     * thread has ended when it returns (unless the calling thread was interrupted). Call it from an
     * application thread, not from a {@link ClientHandler} callback: that client's read pump cannot end
     * while it waits here.
     */
    public void shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!shuttingDown) {
            shuttingDown = true;
            LOG.log(System.Logger.Level.INFO, () -> "hub shutting down; " + clients.size() + " clients");
        }
        for (Client client : clients.values()) {
            client.close(DisconnectReason.SHUTDOWN);
        }
        boolean interrupted = false;
        try {
            if (!awaitNoClients(grace)) {
                LOG.log(System.Logger.Level.INFO, () -> clients.size() + " clients did not close within " + grace + "; cutting them");
                for (Client client : clients.values()) {
                    client.pump().abort();
                }
                awaitNoClients(ABORT_SETTLE_TIME);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            clients.values().forEach(client -> client.pump().abort());
        }
        reaper.stop(reaperThread);
        if (!interrupted) {
            try {
                reaperThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown(Duration)} with the config's close timeout. */
    @Override
    public void close() {
        shutdown(config().closeTimeout());
    }

    /**
     * Sends {@code message} to every client of {@code room}; shorthand for
     * {@code room(room).broadcast(message)}, except that it does not create a room that does not exist
     * (nobody would receive the message).
     */
    public void broadcast(String room, EncodedMessage message) {
        Objects.requireNonNull(message, "message");
        Room r = rooms.get(Objects.requireNonNull(room, "room"));
        if (r != null) {
            r.broadcast(message);
        }
    }

    @Override
    public String toString() {
        return "Hub[" + metrics + (shuttingDown ? ", shut down" : "") + "]";
    }

    // ---- package-private ----

    long clientCount() {
        return clients.mappingCount();
    }

    long roomCount() {
        return rooms.mappingCount();
    }

    /** A live, weakly consistent view, for the reaper (no copy per tick). */
    Collection<Client> clientsView() {
        return clients.values();
    }

    /** Metrics, when a message takes the queued bytes past the budget: the reaper sheds, off the sender's thread. */
    void memoryBudgetExceeded() {
        reaper.requestShed(reaperThread);
    }

    /**
     * Reaper: while over the memory budget, closes the open clients holding the most queued bytes
     * ({@link DisconnectReason#MEMORY_BUDGET}: their queues are discarded) until what they and the
     * clients already closing hold would bring the total down to {@link #SHED_TARGET_PERCENT}% of the
     * budget. Bytes shared by several queues may be counted more than once here, so it may shed
     * fewer than needed; it runs again on the next message over budget or the next tick.
     */
    void shedIfOverBudget() {
        long total = metrics.queuedBytes();
        long budget = config.memoryBudgetBytes();
        if (total <= budget) {
            return;
        }
        long toFree = total - budget / 100 * SHED_TARGET_PERCENT;
        List<Client> open = new java.util.ArrayList<>();
        long freeing = 0;
        for (Client client : clients.values()) {
            long bytes = client.queuedBytes();
            if (!client.isOpen()) {
                freeing += bytes;
            } else if (bytes > 0) {
                open.add(client);
            }
        }
        open.sort(java.util.Comparator.comparingLong(Client::queuedBytes).reversed());
        int shed = 0;
        for (Client client : open) {
            if (freeing >= toFree) {
                break;
            }
            freeing += client.queuedBytes();
            client.close(DisconnectReason.MEMORY_BUDGET);
            shed++;
        }
        int count = shed;
        if (count > 0) {
            LOG.log(System.Logger.Level.WARNING, () -> "queued messages (" + total + " bytes) over the memory budget ("
                    + budget + " bytes): shed the " + count + " clients holding the most");
        }
    }

    /** Read pump, last: the client is gone. */
    void unregister(Client client) {
        clients.remove(client.id());
        listeners.disconnected(client, client.closeReason());
        if (shuttingDown) {
            lifecycleLock.lock();
            try {
                clientLeft.signalAll();
            } finally {
                lifecycleLock.unlock();
            }
        }
    }

    private boolean awaitNoClients(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lifecycleLock.lock();
        try {
            while (!clients.isEmpty()) {
                if (remaining <= 0) {
                    return false;
                }
                // No lost wake-up: unregister removes first and signals under this lock.
                remaining = clientLeft.awaitNanos(remaining);
            }
            return true;
        } finally {
            lifecycleLock.unlock();
        }
    }

    /** A connection offered after shutdown: close it at once (this thread is its only user). */
    private static void refuse(Connection connection) {
        try {
            connection.close(DisconnectReason.SHUTDOWN);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close of a refused connection failed", e);
        } finally {
            connection.abort();
        }
    }
}
