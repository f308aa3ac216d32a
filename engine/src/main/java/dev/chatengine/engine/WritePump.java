package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A client's write pump: the only code that writes to the client's connection, and the owner of
 * everything about that writing: the send queue, the park flag, the ping deadline, the timestamps
 * the hub's {@link Reaper} checks, and whether the connection was cut. Runs on its own virtual
 * thread ({@code chat-write-<id>}), one per client, from {@link Hub#serve} until the client has closed.
 *
 * <p>Thread contract: {@link #run()} on its own thread; {@link #offer}, {@link #closing},
 * {@link #checkTimeouts}, {@link #abort()} and the accessors from any thread;
 * {@link #markActivity()} from the read pump.
 *
 * <p>Loop: the transport's control frames (pongs) first; then up to {@link HubConfig#maxBatchMessages()}
 * queued messages in one {@link Connection#write} call (one socket write); a ping every
 * {@link HubConfig#pingPeriod()} whether or not there is traffic (a client that only listens still
 * has to answer, or the pong wait drops it); park when there is nothing to do.
 *
 * <p>When the client closes, one of two endings:
 * <ul>
 *   <li>a drop ({@link DisconnectReason#isDrop()}: slow, stuck, silent, shed): the queue is discarded,
 *       the close goes out if the socket takes it within {@link #DROP_CLOSE_ATTEMPT} (the reaper cuts
 *       the connection after that), then the connection is cut;</li>
 *   <li>any other close (the peer's, a protocol error, the application's, shutdown): what the hub had
 *       already accepted is written first, then the close, all within {@link HubConfig#closeTimeout()}
 *       (the reaper cuts a client that takes longer).</li>
 * </ul>
 */
final class WritePump implements Runnable {

    private static final System.Logger LOG = System.getLogger(WritePump.class.getName());

    /** The first batch array's length: enough for a client that gets a message now and then. */
    static final int INITIAL_BATCH_MESSAGES = 8;

    /**
     * How long a dropped client's close frame may take to get out (bounded further by the close
     * timeout): long enough for a write in progress to a slow reader to finish and the frame to
     * follow, short enough that a stuck client's memory is not held; its queue is already discarded.
     */
    static final long DROP_CLOSE_ATTEMPT_NANOS = 1_000_000_000L;
    /** {@link #DROP_CLOSE_ATTEMPT_NANOS} as a number to read. */
    static final String DROP_CLOSE_ATTEMPT = "1 s";

    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(WritePump.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Client client;
    private final Connection connection;
    private final SendQueue queue;
    private final HubMetrics metrics;
    private final int batchLength;
    private final long pingPeriodNanos;
    private final Thread thread;

    /**
     * 1 while the pump is parked or about to park. A producer that sees 1 after queuing a message
     * CASes it to 0 and unparks the pump; a producer that sees 0 does nothing, so under load (the pump
     * busy) an offer costs no unpark. The pump sets 1 and then re-checks the queue before parking (a
     * Dekker handshake over the queue's volatile producer index), so no wake-up is lost.
     */
    @SuppressWarnings("unused") // accessed through PARKED
    private volatile int parked;
    /** {@link System#nanoTime()} at which the next ping is due; written by this pump, read by the reaper. */
    private volatile long nextPingNanos = Long.MAX_VALUE;
    /** {@link Client#now()} of the last inbound event (message, pong, close); written by the read pump. */
    private volatile long lastActivityNanos;
    /** {@link Client#now()} when the current write began; 0 while not writing. */
    private volatile long writeStartedNanos;
    /** {@link Client#now()} when the client began closing; 0 while open. */
    private volatile long closeStartedNanos;
    private volatile boolean aborted;

    /**
     * Allocated on the first write, so that an idle client costs no batch array, at
     * {@value #INITIAL_BATCH_MESSAGES} slots; doubled, up to {@code batchLength}, when more is queued,
     * so that only a busy client holds a full-size one. {@link #frames} is its twin for the transport.
     */
    private Outgoing[] batch;
    private EncodedMessage[] frames;
    /** This client's high-water mark; the hub's gauge is touched only when it grows. */
    private int highWaterMark;

    WritePump(Client client, Connection connection, HubConfig config, HubMetrics metrics) {
        this.client = client;
        this.connection = connection;
        this.queue = new SendQueue(config.sendQueueCapacity(), config.sendQueueBytes());
        this.metrics = metrics;
        this.batchLength = Math.min(config.maxBatchMessages(), config.sendQueueCapacity());
        this.pingPeriodNanos = config.pingPeriod().toNanos();
        this.lastActivityNanos = Client.now();
        this.thread = Thread.ofVirtual().name("chat-write-" + client.id()).unstarted(this);
    }

    // ---- any thread ----

    void start() {
        thread.start();
    }

    /** Waits for the pump to end; if interrupted, aborts the connection (which ends it soon) and keeps waiting. */
    void await() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
                abort();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code message} and wakes the pump if it sleeps; false when the queue is full (in messages or bytes). */
    boolean offer(Outgoing message) {
        if (!queue.offer(message)) {
            return false;
        }
        wakeIfParked();
        return true;
    }

    int queuedMessages() {
        return queue.size();
    }

    long queuedBytes() {
        return queue.bytes();
    }

    int queueCapacity() {
        return queue.capacity();
    }

    /** The client has begun closing for {@code reason}: note when, cut at once if no write can succeed, wake the pump. */
    void closing(DisconnectReason reason) {
        closeStartedNanos = Client.now();
        if (reason == DisconnectReason.WRITE_TIMEOUT) {
            abort(); // the write in progress is not moving: no close frame can follow it
        }
        LockSupport.unpark(thread);
    }

    /** Read pump: something arrived from the peer. */
    void markActivity() {
        lastActivityNanos = Client.now();
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
            LOG.log(System.Logger.Level.DEBUG, "abort of client " + client.id() + " failed", e);
        }
    }

    /**
     * The reaper, on each tick: drops a client stuck in one write or silent for too long, cuts one
     * whose close takes too long (a drop's close gets {@link #DROP_CLOSE_ATTEMPT}), and wakes a parked
     * pump whose ping is due. Never waits on the client.
     */
    void checkTimeouts(long now, long writeTimeoutNanos, long pongWaitNanos, long closeTimeoutNanos) {
        long writeStarted = writeStartedNanos;
        if (writeStarted != 0 && now - writeStarted > writeTimeoutNanos) {
            client.close(DisconnectReason.WRITE_TIMEOUT);
            abort();
        }
        if (client.isOpen() && now - lastActivityNanos > pongWaitNanos) {
            client.close(DisconnectReason.IDLE_TIMEOUT);
        }
        long closeStarted = closeStartedNanos;
        if (closeStarted != 0 && !aborted) {
            DisconnectReason reason = client.closeReason();
            long allowed = reason != null && reason.isDrop()
                    ? Math.min(DROP_CLOSE_ATTEMPT_NANOS, closeTimeoutNanos) : closeTimeoutNanos;
            if (now - closeStarted > allowed) {
                LOG.log(System.Logger.Level.DEBUG, () -> "client " + client.id() + " did not finish closing in time; aborting");
                abort();
            }
        }
        if (System.nanoTime() - nextPingNanos >= 0) {
            wakeIfParked();
        }
    }

    /** Wakes the pump if it is parked; cheap when it is busy. The transport's control frames use it too. */
    void wakeIfParked() {
        if (parked != 0 && PARKED.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(thread);
        }
    }

    // ---- the pump's own thread ----

    @Override
    public void run() {
        try {
            pumpWhileOpen();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "write to client " + client.id() + " failed: " + e);
            client.close(DisconnectReason.CONNECTION_LOST);
            abort();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "write pump of client " + client.id() + " failed", e);
            client.close(DisconnectReason.CONNECTION_LOST);
            abort();
        } finally {
            finish();
        }
    }

    private void pumpWhileOpen() throws IOException {
        nextPingNanos = System.nanoTime() + pingPeriodNanos;
        while (client.isOpen()) {
            if (connection.hasControlFrames()) {
                writeControlFrames();
                continue;
            }
            int depth = queue.size();
            if (depth > 0) {
                writeBatch(depth);
            } else if (!isPingDue(System.nanoTime())) {
                awaitWork();
                continue;
            }
            long now = System.nanoTime();
            if (isPingDue(now) && client.isOpen()) {
                writeStarted();
                try {
                    connection.ping();
                } finally {
                    writeEnded();
                }
                nextPingNanos = now + pingPeriodNanos;
            }
        }
    }

    /**
     * Parks until a message, a control frame or a close arrives, or the reaper says a ping is due. An
     * untimed park: a timed one would arm and cancel a scheduler timer on every park and wake-up,
     * which under load was a quarter of the server's time.
     */
    private void awaitWork() {
        PARKED.setVolatile(this, 1);
        if (queue.isEmpty() && client.isOpen() && !connection.hasControlFrames() && !isPingDue(System.nanoTime())) {
            LockSupport.park(this);
        }
        PARKED.setVolatile(this, 0);
    }

    private boolean isPingDue(long nanoTime) {
        return nanoTime - nextPingNanos >= 0;
    }

    private void writeControlFrames() throws IOException {
        writeStarted();
        try {
            connection.writeControlFrames();
        } finally {
            writeEnded();
        }
    }

    private void writeBatch(int depth) throws IOException {
        if (depth > highWaterMark) {
            highWaterMark = depth;
            metrics.queueDepthSeen(depth);
        }
        Outgoing[] taken = batch;
        if (taken == null || (depth > taken.length && taken.length < batchLength)) {
            taken = batch = new Outgoing[batchArrayLength(taken, depth)];
            frames = new EncodedMessage[taken.length];
        }
        int count = queue.drain(taken, taken.length);
        if (count == 0) {
            // A producer has claimed a slot but not filled it yet; let it run.
            Thread.yield();
            return;
        }
        EncodedMessage[] out = frames;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            out[i] = taken[i].message;
            bytes += taken[i].length;
        }
        try {
            if (isDropping()) {
                return; // dropped meanwhile: these are discarded with the rest
            }
            writeStarted();
            try {
                connection.write(out, count);
            } finally {
                writeEnded();
            }
            metrics.batchWritten(count, bytes);
        } finally {
            for (int i = 0; i < count; i++) {
                taken[i].release();
                taken[i] = null;
                out[i] = null;
            }
        }
    }

    private boolean isDropping() {
        DisconnectReason reason = client.closeReason();
        return reason != null && reason.isDrop();
    }

    private int batchArrayLength(Outgoing[] current, int depth) {
        int length = current == null ? INITIAL_BATCH_MESSAGES : current.length;
        while (length < depth && length < batchLength) {
            length *= 2;
        }
        return Math.min(length, batchLength);
    }

    /** The close path: see the class comment. */
    private void finish() {
        DisconnectReason reason = client.closeReason();
        if (reason == null) {
            // Only an Error thrown past the catch blocks gets here; make the state consistent.
            reason = DisconnectReason.CONNECTION_LOST;
            client.close(reason);
        }
        if (!aborted && !reason.isDrop() && reason != DisconnectReason.CONNECTION_LOST) {
            try {
                writeWhatWasAccepted();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "write to closing client " + client.id() + " failed: " + e);
                abort();
            }
        }
        Outgoing[] scratch = batch != null ? batch : new Outgoing[Math.min(INITIAL_BATCH_MESSAGES, batchLength)];
        queue.discard(scratch);
        if (aborted) {
            return;
        }
        writeStarted();
        try {
            if (reason == DisconnectReason.APPLICATION) {
                connection.close(client.applicationClose().orElseThrow());
            } else {
                connection.close(reason);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close of client " + client.id() + " failed: " + e);
        } finally {
            writeEnded();
        }
        if (reason.isDrop()) {
            abort(); // the close frame went out (or the socket failed): the cut, without waiting for an answer
        }
    }

    /** A closing client: the messages the hub accepted before the close, then nothing more; pongs still first. */
    private void writeWhatWasAccepted() throws IOException {
        while (!aborted) {
            if (connection.hasControlFrames()) {
                writeControlFrames();
                continue;
            }
            int depth = queue.size();
            if (depth == 0) {
                return;
            }
            writeBatch(depth);
        }
    }

    private void writeStarted() {
        writeStartedNanos = Client.now();
    }

    private void writeEnded() {
        writeStartedNanos = 0;
    }
}
