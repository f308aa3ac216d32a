package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One connected client of a {@link Hub}: its send queue, its rooms, and a slot for the
 * application's per-client state. Thread-safe: every method may be called from any thread.
 *
 * <p>The hub makes a client when a transport hands it a connection ({@link Hub#serve}); the
 * application meets it in its {@link ClientHandler} and may keep it, send to it, put it in rooms
 * and close it. Sending never blocks: the message goes into the client's bounded send queue
 * (capacity {@link HubConfig#sendQueueCapacity()}), and the client's write pump writes it. A client
 * whose queue is full is dropped as a {@link DisconnectReason#SLOW_CONSUMER}, so that nobody ever
 * waits for it.
 *
 * <p>Life cycle: open until {@link #close} (by the application, the peer, the transport or the hub);
 * then closing: its queue is discarded, the transport's close is sent, {@link ClientHandler#onClose}
 * runs, and it leaves every room and the hub.
 */
public final class Client {

    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    private static final VarHandle CLOSE_REASON;
    private static final VarHandle CONSUMER_PARKED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_REASON = lookup.findVarHandle(Client.class, "closeReason", DisconnectReason.class);
            CONSUMER_PARKED = lookup.findVarHandle(Client.class, "consumerParked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final Connection connection;
    private final HubMetrics metrics;
    private final HubListeners listeners;
    private final SendQueue queue;
    private final Thread writer;
    private final Set<Room> rooms = ConcurrentHashMap.newKeySet(4);

    private volatile Object attachment;
    /** Null while open; the first reason given to {@link #close} afterwards. */
    @SuppressWarnings("unused") // accessed through CLOSE_REASON
    private volatile DisconnectReason closeReason;
    /**
     * 1 while the write pump is parked or about to park. A producer that sees 1 after queuing a
     * message CASes it to 0 and unparks the pump; a producer that sees 0 does nothing, so under
     * load (the pump busy) an offer costs no unpark. The pump sets 1 and then re-checks the queue
     * before parking (a Dekker handshake over the queue's volatile producer index), so no wake-up is lost.
     */
    @SuppressWarnings("unused") // accessed through CONSUMER_PARKED
    private volatile int consumerParked;

    /** {@link System#nanoTime()} at which the write pump's next ping is due; written by the write pump, read by the reaper. */
    private volatile long nextPingNanos = Long.MAX_VALUE;

    /** {@link #now()} of the last inbound event (message, pong, close); written by the read pump. */
    private volatile long lastActivityNanos;
    /** {@link #now()} when the write pump's current write began; 0 while it is not writing. */
    private volatile long writeStartedNanos;
    /** {@link #now()} when the client began closing; 0 while open (and for a moment after). */
    private volatile long closeStartedNanos;
    private volatile boolean aborted;
    /** Set once the hub starts removing the client from its rooms; joins after that are refused. */
    private volatile boolean gone;
    private volatile int applicationCloseCode;

    Client(long id, Connection connection, HubConfig config, HubMetrics metrics, HubListeners listeners) {
        this.id = id;
        this.connection = connection;
        this.metrics = metrics;
        this.listeners = listeners;
        this.queue = new SendQueue(config.sendQueueCapacity());
        this.lastActivityNanos = now();
        this.writer = Thread.ofVirtual().name("chat-write-" + id)
                .unstarted(new WritePump(this, connection, queue, config, metrics));
    }

    /** A number unique within the hub, counting from 1. */
    public long id() {
        return id;
    }

    /** The peer's address as the transport tells it, for logs, for example {@code 127.0.0.1:53122}. */
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    /**
     * Who the peer is, as the application's handshake hook decided when it accepted the connection
     * (for example the user a token named); empty for an anonymous client. Fixed for the client's life.
     */
    public Optional<Principal> principal() {
        return connection.principal();
    }

    /**
     * The value of the attribute {@code key} that the application's handshake hook gave the
     * connection, if any. Fixed for the client's life; state that changes belongs in {@link #attach}.
     */
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return connection.attributes().get(key);
    }

    /** All the attributes the handshake hook gave the connection (see {@link #attribute}). */
    public Attributes attributes() {
        return connection.attributes();
    }

    /**
     * Queues {@code message} for this client without blocking. If the queue is full the client is
     * dropped as {@link DisconnectReason#SLOW_CONSUMER}. Returns false when the message was not
     * queued (the client is closing, or was just dropped).
     *
     * <p>To send the same message to many clients, encode it once ({@link Hub#encoder()}) and send
     * the same {@link EncodedMessage}; to keep a room's order, send through {@link Room} instead.
     */
    public boolean send(EncodedMessage message) {
        Objects.requireNonNull(message, "message");
        if (closeReason != null) {
            return false;
        }
        if (!queue.offer(message)) {
            close(DisconnectReason.SLOW_CONSUMER);
            return false;
        }
        if (consumerParked != 0 && CONSUMER_PARKED.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    /** The rooms this client is a member of (a snapshot). */
    public Set<Room> rooms() {
        return Set.copyOf(rooms);
    }

    /** The application's state for this client, or null; typed by the caller, as {@code User u = client.attachment();}. */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    /** Sets the application's state for this client (visible to every thread afterwards). */
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** True until the client starts closing. */
    public boolean isOpen() {
        return closeReason == null;
    }

    /** Why the client closed, or null while it is open. */
    public DisconnectReason closeReason() {
        return closeReason;
    }

    /** Messages queued and not yet written. */
    public int queuedMessages() {
        return queue.size();
    }

    /**
     * Closes the client for {@code reason}: what is queued is discarded, the transport's close is sent
     * by the write pump, and the client leaves its rooms and the hub once its pumps have stopped.
     * Idempotent: the first reason wins. Never blocks.
     *
     * <p>A drop for {@link DisconnectReason#WRITE_TIMEOUT}, or for {@link DisconnectReason#SLOW_CONSUMER}
     * while the write pump is in the middle of a write, also aborts the connection at once: the pump
     * cannot send a close frame past a write that is not moving, and the socket must close anyway.
     * Any other closing client whose handshake takes longer than {@link HubConfig#closeTimeout()} is
     * aborted by the hub.
     */
    public void close(DisconnectReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) {
            return;
        }
        closeStartedNanos = now();
        if (reason.isDrop()) {
            metrics.clientDropped(reason);
            if (reason == DisconnectReason.SLOW_CONSUMER) {
                metrics.queueDepthSeen(queue.capacity());
            }
            LOG.log(System.Logger.Level.INFO, () -> "dropping client " + id + " (" + remoteAddress() + "): " + reason);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing client " + id + " (" + remoteAddress() + "): " + reason);
        }
        if (reason == DisconnectReason.WRITE_TIMEOUT
                || (reason == DisconnectReason.SLOW_CONSUMER && writeStartedNanos != 0)) {
            abort();
        }
        LockSupport.unpark(writer);
        if (reason.isDrop()) {
            listeners.dropped(this, reason);
        }
    }

    /**
     * Closes the client with a WebSocket close code and reason of the application's choice: 1000, 1001,
     * 1008, 1011, 1013 or 4000-4999, and a reason of at most 123 UTF-8 bytes.
     *
     * <p>Minimal stand-in for the pump's implementation (the agreed seam): it validates and closes as
     * {@link DisconnectReason#POLICY}; the code and reason are kept for {@link #closeCode()}.
     *
     * @throws IllegalArgumentException for another code or a longer reason
     */
    public void close(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        boolean allowed = code == 1000 || code == 1001 || code == 1008 || code == 1011 || code == 1013
                || (code >= 4000 && code <= 4999);
        if (!allowed) {
            throw new IllegalArgumentException("an application may close with 1000, 1001, 1008, 1011, 1013 or 4000-4999: " + code);
        }
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 UTF-8 bytes");
        }
        if (isOpen()) {
            applicationCloseCode = code;
        }
        close(DisconnectReason.POLICY);
    }

    /** The code given to {@link #close(int, String)}, or 0. */
    public int closeCode() {
        return applicationCloseCode;
    }

    @Override
    public String toString() {
        return "Client[" + id + " " + remoteAddress() + (isOpen() ? "" : " closing: " + closeReason) + "]";
    }

    // ---- package-private: the hub, the pumps and rooms ----

    /** A nanoTime that is never 0, so that 0 can mean "not set". */
    static long now() {
        long t = System.nanoTime();
        return t == 0 ? 1 : t;
    }

    Connection connection() {
        return connection;
    }

    void startWriter() {
        writer.start();
    }

    /** Waits for the write pump to end; if interrupted, aborts the connection (which ends it soon) and keeps waiting. */
    void awaitWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
                abort();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Write pump: parks until a message or a close arrives, or the reaper says a ping is due
     * ({@link #wakeWriterIfPingDue}). An untimed park: a timed one would arm and cancel a scheduler
     * timer on every park and wake-up, which under load was a quarter of the server's time.
     */
    void awaitWork() {
        CONSUMER_PARKED.setVolatile(this, 1);
        if (queue.isEmpty() && closeReason == null && !isPingDue(System.nanoTime())) {
            LockSupport.park(this);
        }
        CONSUMER_PARKED.setVolatile(this, 0);
    }

    /** Write pump: when its next ping is due, as {@link System#nanoTime()}. */
    void pingDueAt(long nanoTime) {
        nextPingNanos = nanoTime;
    }

    boolean isPingDue(long nanoTime) {
        return nanoTime - nextPingNanos >= 0;
    }

    /** Reaper: wakes a parked write pump whose ping is due; a pump that is not parked sees it by itself. */
    void wakeWriterIfPingDue(long nanoTime) {
        if (isPingDue(nanoTime) && consumerParked != 0 && CONSUMER_PARKED.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(writer);
        }
    }

    void markActivity() {
        lastActivityNanos = now();
    }

    void writeStarted() {
        writeStartedNanos = now();
    }

    void writeEnded() {
        writeStartedNanos = 0;
    }

    boolean isAborted() {
        return aborted;
    }

    /** Cuts the connection now (idempotent); never waits for the client. */
    void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        try {
            connection.abort();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "abort of client " + id + " failed", e);
        }
    }

    /**
     * The hub's watchdog, on each tick: drops a client stuck in one write, or silent for too long,
     * and cuts a client that has been closing for too long. Never waits on the client.
     */
    void checkTimeouts(long now, long writeTimeoutNanos, long pongWaitNanos, long closeTimeoutNanos) {
        long writeStarted = writeStartedNanos;
        if (writeStarted != 0 && now - writeStarted > writeTimeoutNanos) {
            close(DisconnectReason.WRITE_TIMEOUT);
            abort();
        }
        if (closeReason == null && now - lastActivityNanos > pongWaitNanos) {
            close(DisconnectReason.IDLE_TIMEOUT);
        }
        long closeStarted = closeStartedNanos;
        if (closeStarted != 0 && !aborted && now - closeStarted > closeTimeoutNanos) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client " + id + " did not finish closing in time; aborting");
            abort();
        }
    }

    boolean isMemberOf(Room room) {
        return rooms.contains(room);
    }

    /**
     * Room (under its lock): records membership. False if the client is already on its way out of
     * the hub; the check comes after the add so that it races correctly with {@link #leaveAllRooms}.
     */
    boolean addRoom(Room room) {
        rooms.add(room);
        if (gone) {
            rooms.remove(room);
            return false;
        }
        return true;
    }

    /** Room (under its lock). */
    boolean removeRoom(Room room) {
        return rooms.remove(room);
    }

    /** Read pump, after onClose: leaves every room; no join succeeds afterwards. */
    void leaveAllRooms() {
        gone = true;
        while (!rooms.isEmpty()) {
            for (Room room : rooms) {
                room.leave(this);
            }
        }
    }
}
