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
 * everything about that writing: the send queue, the pump's run state, the ping deadline, the
 * timestamps the hub's {@link Reaper} checks, and whether the connection was cut. It runs on a
 * virtual thread of its own ({@code chat-write-<id>}), one per client, but only while there is
 * something to write: {@link #wake()} starts the thread when a message is queued, a control frame
 * is owed, a ping is due or the client closes, and the thread ends once it finds nothing more to do.
 * An idle client therefore holds no write thread and no stack (issue 12). There is never more than
 * one pump loop per client at a time; all writes to the connection come from it, one at a time.
 *
 * <p>Thread contract: {@link #run()} on the pump's own thread, which {@link #wake()} starts;
 * {@link #offer}, {@link #wake()}, {@link #closing}, {@link #checkTimeouts}, {@link #abort()} and the
 * accessors from any thread; {@link #markActivity()} and {@link #await()} from the read pump.
 *
 * <p>Loop: the transport's control frames (pongs) first; then up to {@link HubConfig#maxBatchMessages()}
 * queued messages in one {@link Connection#write} call (one socket write); a ping every
 * {@link HubConfig#pingPeriod()} whether or not there is traffic (a client that only listens still
 * has to answer, or the pong wait drops it: the reaper wakes the pump when the ping is due); when
 * there is nothing to do, the thread ends (see {@link #goIdle()} for the hand-over that loses no wake-up).
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
 * Either way the pump is then {@code DONE} for good, and {@link #await()} returns.
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

    // The run states (the field {@link #state}); only the transitions named here happen.
    /** Never started: no thread yet. {@link #wake()} moves it to RUNNING and starts one. */
    static final int NEW = 0;
    /** Nothing to do, no thread (the last one has ended or is ending). {@link #wake()}: to RUNNING, new thread. */
    static final int IDLE = 1;
    /** A thread runs the loop and will look at the queue, the close and the ping again before it ends. */
    static final int RUNNING = 2;
    /**
     * The thread found nothing to do and is about to end: it re-checks, yields once, re-checks, then
     * CASes to IDLE. A waker CASes it back to RUNNING and the thread carries on instead of ending.
     */
    static final int PARKED = 3;
    /** The client has closed and the close path has run; final. */
    static final int DONE = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WritePump.class, "state", int.class);
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

    /**
     * NEW, IDLE, RUNNING, PARKED or DONE, changed by CAS (see {@link #wake()} and {@link #goIdle()}).
     * While it is RUNNING only the pump's thread changes it; under load a wake-up therefore costs one
     * volatile read and nothing else.
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state; // NEW (0)
    /** The read pump while it waits in {@link #await()}, so that the pump can unpark it when DONE. */
    private volatile Thread awaiter;
    /** {@link System#nanoTime()} at which the next ping is due; written by this pump, read by the reaper. */
    private volatile long nextPingNanos;
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
        // The first ping is due a period after the client came; the reaper wakes the pump for it.
        this.nextPingNanos = System.nanoTime() + pingPeriodNanos;
    }

    // ---- any thread ----

    /**
     * Read pump, once the client has closed: waits until the pump is DONE (its close path has run).
     * The close already woke the pump ({@link #closing}), which starts a thread if none runs, so a
     * pump that never had anything to write gets here too. If interrupted, aborts the connection
     * (which ends the pump soon) and keeps waiting.
     */
    void await() {
        awaiter = Thread.currentThread();
        wake(); // normally a no-op: closing() woke it already (a thread that finds the client open just goes idle)
        boolean interrupted = false;
        // Dekker with done(): we write awaiter then read state; it writes DONE then reads awaiter.
        while ((int) STATE.getVolatile(this) != DONE) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                abort();
            }
        }
        awaiter = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code message} and wakes the pump; false when the queue is full (in messages or bytes). */
    boolean offer(Outgoing message) {
        if (!queue.offer(message)) {
            return false;
        }
        wake();
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
        wake();
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
     * whose close takes too long (a drop's close gets {@link #DROP_CLOSE_ATTEMPT}), and wakes a pump
     * whose ping is due (which starts its thread if it is idle). Never waits on the client.
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
            wake();
        }
    }

    /**
     * There is something for the pump to do (a message, a control frame, a close, a due ping): makes
     * sure a pump thread will see it. Call it after the work is visible (after the enqueue, the
     * close reason, the pending pong). Never blocks, allocates only when it starts a thread; when the
     * pump is already RUNNING, as under load, it costs one volatile read. The transport's control
     * frames use it too ({@link Connection#useWriter}).
     *
     * <p>From NEW or IDLE it CASes to RUNNING and starts a new thread; from PARKED it CASes to RUNNING,
     * which stops the ending thread from ending (it spins through {@link #goIdle()}'s CAS, never
     * parks, so there is no thread to unpark); from RUNNING or DONE it does nothing. A failed CAS
     * means the state moved under us: look again.
     */
    void wake() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            switch (s) {
                case RUNNING, DONE -> {
                    return;
                }
                case PARKED -> {
                    if (STATE.compareAndSet(this, PARKED, RUNNING)) {
                        return;
                    }
                }
                default -> { // NEW, IDLE
                    if (STATE.compareAndSet(this, s, RUNNING)) {
                        // Not the waker's inheritable thread locals: any thread may start the pump.
                        Thread.ofVirtual().name("chat-write-" + client.id())
                                .inheritInheritableThreadLocals(false).start(this);
                        return;
                    }
                }
            }
        }
    }

    /** The pump's run state (NEW, IDLE, RUNNING, PARKED, DONE), for tests. */
    int state() {
        return (int) STATE.getVolatile(this);
    }

    // ---- the pump's own thread ----

    @Override
    public void run() {
        boolean wentIdle = false;
        try {
            wentIdle = !pumpUntilIdleOrClosed();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "write to client " + client.id() + " failed: " + e);
            client.close(DisconnectReason.CONNECTION_LOST);
            abort();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "write pump of client " + client.id() + " failed", e);
            client.close(DisconnectReason.CONNECTION_LOST);
            abort();
        } finally {
            // Gone IDLE: this thread owns nothing any more (a new one may already run); just end.
            if (!wentIdle) {
                try {
                    finish();
                } finally {
                    done();
                }
            }
        }
    }

    /** Writes until there is nothing to do (returns false: the state is IDLE) or the client has closed (true). */
    private boolean pumpUntilIdleOrClosed() throws IOException {
        while (client.isOpen()) {
            if (connection.hasControlFrames()) {
                writeControlFrames();
                continue;
            }
            int depth = queue.size();
            if (depth > 0) {
                writeBatch(depth);
            } else if (!isPingDue(System.nanoTime())) {
                if (goIdle()) {
                    return false;
                }
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
        return true;
    }

    /**
     * Nothing to do: hands over to IDLE and lets the thread end, unless work arrives meanwhile (then
     * false, RUNNING again). Sets PARKED, re-checks, yields once (a reply or the next message of a
     * burst often comes within a scheduler turn, and starting a thread costs more than a yield),
     * re-checks, then CASes PARKED to IDLE.
     *
     * <p>Why no wake-up is lost: every waker makes its work visible first (a volatile CAS on the
     * queue's producer index, the close reason's CAS, the transport's pending-pong count) and then
     * reads {@link #state}; this pump writes PARKED and then reads those same variables. Volatile
     * accesses are totally ordered, so either the waker's read of the state comes after our PARKED
     * (it sees PARKED, or IDLE after our CAS, and takes it to RUNNING itself: our CAS then fails and
     * we carry on, or its CAS starts a new thread), or our re-check comes after its work was made
     * visible, and we see the work. A waker that reads RUNNING is safe for the same reason: the
     * PARKED we write next comes after its read, so our re-check after it sees its work. No ending
     * thread ever holds the loop: once its CAS to IDLE succeeds it only returns, and the next
     * thread starts after that CAS, so it sees everything this one wrote (batch arrays, counters).
     * A due ping needs no handshake: the reaper wakes the pump on every tick while it is due.
     */
    private boolean goIdle() {
        STATE.setVolatile(this, PARKED); // from RUNNING, which only this thread leaves
        if (!hasWork()) {
            Thread.yield();
            if (!hasWork() && STATE.compareAndSet(this, PARKED, IDLE)) {
                return true;
            }
        }
        // Work came, or a waker took the state to RUNNING already (then this CAS fails, which is fine).
        STATE.compareAndSet(this, PARKED, RUNNING);
        return false;
    }

    private boolean hasWork() {
        return !queue.isEmpty() || !client.isOpen() || connection.hasControlFrames() || isPingDue(System.nanoTime());
    }

    /** The close path has run: final, and the read pump in {@link #await()} may go on. */
    private void done() {
        STATE.setVolatile(this, DONE);
        Thread waiting = awaiter;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
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
