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

/**
 * One connected client of a {@link Hub}: its send queue, its rooms, and a slot for the
 * application's per-client state. Thread-safe: every method may be called from any thread.
 *
 * <p>The hub makes a client when a transport hands it a connection ({@link Hub#serve}); the
 * application meets it in its {@link ClientHandler} and may keep it, send to it, put it in rooms
 * and close it. Sending never blocks: the message goes into the client's bounded send queue
 * ({@link HubConfig#sendQueueCapacity()} messages and {@link HubConfig#sendQueueBytes()} bytes), and
 * the client's write pump writes it. A client whose queue is full is dropped as a
 * {@link DisconnectReason#SLOW_CONSUMER}, so that nobody ever waits for it.
 *
 * <p>Life cycle: open until {@link #close} (by the application, the peer, the transport or the hub);
 * then closing: what was already queued is written and then the transport's close (for a drop, the
 * queue is discarded instead and the close is attempted briefly), {@link ClientHandler#onClose} runs,
 * and it leaves every room and the hub.
 *
 * <p>This is the application's handle: the machinery behind it (the queue, the pump's run state,
 * ping deadline and timestamps) belongs to the client's {@link WritePump}, whose virtual thread runs
 * only while there is something to write.
 */
public final class Client {

    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    private static final VarHandle CLOSE_REASON;
    private static final VarHandle APPLICATION_CLOSE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_REASON = lookup.findVarHandle(Client.class, "closeReason", DisconnectReason.class);
            APPLICATION_CLOSE = lookup.findVarHandle(Client.class, "applicationClose", ApplicationClose.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final Connection connection;
    private final HubMetrics metrics;
    private final HubListeners listeners;
    private final WritePump pump;
    private final Set<Room> rooms = ConcurrentHashMap.newKeySet(4);

    private volatile Object attachment;
    /** Null while open; the first reason given to {@link #close} afterwards. */
    @SuppressWarnings("unused") // accessed through CLOSE_REASON
    private volatile DisconnectReason closeReason;
    /** The code and reason of the first {@link #close(int, String)}, set before {@link #closeReason} becomes APPLICATION. */
    @SuppressWarnings("unused") // written through APPLICATION_CLOSE
    private volatile ApplicationClose applicationClose;
    /** Set once the hub starts removing the client from its rooms; joins after that are refused. */
    private volatile boolean gone;

    Client(long id, Connection connection, HubConfig config, HubMetrics metrics, HubListeners listeners) {
        this.id = id;
        this.connection = connection;
        this.metrics = metrics;
        this.listeners = listeners;
        this.pump = new WritePump(this, connection, config, metrics);
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
     * Queues {@code message} for this client without blocking. If the queue is full (in messages or
     * in bytes) the client is dropped as {@link DisconnectReason#SLOW_CONSUMER}. Returns false when
     * the message was not queued (the client is closing, or was just dropped).
     *
     * <p>To send the same message to many clients, encode it once ({@link Hub#encoder()}) and send
     * the same {@link EncodedMessage}; to keep a room's order, send through {@link Room} instead.
     */
    public boolean send(EncodedMessage message) {
        Objects.requireNonNull(message, "message");
        if (closeReason != null) {
            return false;
        }
        return offer(new Outgoing(message, 1, metrics));
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

    /**
     * The code and reason given to {@link #close(int, String)}, when that is how the client closed
     * ({@link #closeReason()} is {@link DisconnectReason#APPLICATION}); empty otherwise.
     */
    public Optional<ApplicationClose> applicationClose() {
        return closeReason == DisconnectReason.APPLICATION ? Optional.ofNullable(applicationClose) : Optional.empty();
    }

    /** Messages queued and not yet written. */
    public int queuedMessages() {
        return pump.queuedMessages();
    }

    /** Wire bytes queued and not yet written (a shared broadcast counts in full in each queue holding it). */
    public long queuedBytes() {
        return pump.queuedBytes();
    }

    /**
     * Closes the client for {@code reason}, once: the first reason wins. Never blocks.
     *
     * <p>A drop ({@link DisconnectReason#isDrop()}) discards what is queued; the transport's close is
     * sent only if the socket takes it within a second, then the connection is cut (at once for
     * {@link DisconnectReason#WRITE_TIMEOUT}: the write in progress is not moving). Any other reason
     * lets the write pump write what was already queued, then the transport's close; a client whose
     * close takes longer than {@link HubConfig#closeTimeout()} is cut by the hub. The client then
     * leaves its rooms and the hub once its pumps have stopped.
     */
    public void close(DisconnectReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) {
            return;
        }
        if (reason.isDrop()) {
            metrics.clientDropped(reason);
            if (reason == DisconnectReason.SLOW_CONSUMER) {
                metrics.queueDepthSeen(pump.queueCapacity());
            }
            LOG.log(System.Logger.Level.INFO, () -> "dropping client " + id + " (" + remoteAddress() + "): " + reason);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing client " + id + " (" + remoteAddress() + "): " + reason);
        }
        pump.closing(reason);
        if (reason.isDrop()) {
            listeners.dropped(this, reason);
        }
    }

    /**
     * Closes the client with the application's own close code and reason, which the transport sends
     * exactly (for WebSocket, the close frame's code and reason), after what was already queued.
     * {@link ClientHandler#onClose} then gets {@link DisconnectReason#APPLICATION} and
     * {@link #applicationClose()} the code and reason. Idempotent like {@link #close(DisconnectReason)}:
     * if the client is already closing, nothing changes. Never blocks.
     *
     * <pre>{@code
     * client.close(4000, "replaced");   // the user logged in elsewhere
     * }</pre>
     *
     * @param code   1000, 1001, 1008, 1011, 1012, 1013 or 4000-4999 (see {@link ApplicationClose})
     * @param reason at most 123 bytes of UTF-8; may be empty
     * @throws IllegalArgumentException when the code or the reason is not allowed
     */
    public void close(int code, String reason) {
        ApplicationClose close = new ApplicationClose(code, Objects.requireNonNull(reason, "reason"));
        if (closeReason != null) {
            return;
        }
        // The first close(int, String) stores its code before it races for closeReason, so whoever
        // sees APPLICATION sees that code.
        if (APPLICATION_CLOSE.compareAndSet(this, null, close)) {
            close(DisconnectReason.APPLICATION);
        }
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

    WritePump pump() {
        return pump;
    }

    /**
     * Queues {@code message}, for which the caller counted this client as one holder; releases that
     * hold when it is not queued. A full queue drops the client.
     */
    boolean offer(Outgoing message) {
        if (closeReason != null) {
            message.release();
            return false;
        }
        if (!pump.offer(message)) {
            message.release();
            close(DisconnectReason.SLOW_CONSUMER);
            return false;
        }
        return true;
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
