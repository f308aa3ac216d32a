package dev.chatengine.engine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The hub's watchdog: one virtual thread ({@code chat-hub-reaper}) per hub that wakes on a tick and
 * applies the time limits the pumps cannot apply to themselves, since a pump may be blocked in the
 * very call that is too slow. On each tick, for every client: a write in progress longer than
 * {@link HubConfig#writeTimeout()} drops it ({@link DisconnectReason#WRITE_TIMEOUT}, connection cut);
 * nothing inbound for longer than {@link HubConfig#pongWait()} drops it
 * ({@link DisconnectReason#IDLE_TIMEOUT}); closing for longer than {@link HubConfig#closeTimeout()}
 * cuts its connection (a dropped one's after {@link WritePump#DROP_CLOSE_ATTEMPT}); a write pump
 * whose ping is due is woken to send it ({@link WritePump#wake()}, which starts its thread if the
 * client is idle: an idle pump has no thread and no timer). Over the memory budget it
 * sheds the clients holding the most ({@link Hub#shedIfOverBudget()}), on each tick and at once when
 * a message crosses the budget. It never waits on a client.
 *
 * <p>The tick is a quarter of the shortest of those limits and the ping period, at most {@link #MAX_TICK} and at least
 * {@link #MIN_TICK}: a limit is enforced at most a quarter late. A sweep costs a few nanoseconds per
 * client (three volatile reads), so even 20,000 clients cost well under a millisecond a second.
 */
final class Reaper implements Runnable {

    static final Duration MAX_TICK = Duration.ofSeconds(1);
    static final Duration MIN_TICK = Duration.ofMillis(5);

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    private final Hub hub;
    private final long tickNanos;
    private final long writeTimeoutNanos;
    private final long pongWaitNanos;
    private final long closeTimeoutNanos;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicBoolean shedRequested = new java.util.concurrent.atomic.AtomicBoolean();

    Reaper(Hub hub, HubConfig config) {
        this.hub = hub;
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.pongWaitNanos = config.pongWait().toNanos();
        this.closeTimeoutNanos = config.closeTimeout().toNanos();
        long shortest = Math.min(Math.min(writeTimeoutNanos, config.pingPeriod().toNanos()),
                Math.min(pongWaitNanos, closeTimeoutNanos));
        this.tickNanos = Math.clamp(shortest / 4, MIN_TICK.toNanos(), MAX_TICK.toNanos());
    }

    @Override
    public void run() {
        long nextTick = System.nanoTime() + tickNanos;
        while (!stopped) {
            if (shedRequested.getAndSet(false)) {
                shed();
            }
            long wait = nextTick - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            sweep(Client.now());
            shed();
            nextTick = System.nanoTime() + tickNanos;
        }
    }

    private void sweep(long now) {
        for (Client client : hub.clientsView()) {
            try {
                client.pump().checkTimeouts(now, writeTimeoutNanos, pongWaitNanos, closeTimeoutNanos);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reaper failed on client " + client.id(), e);
            }
        }
    }

    private void shed() {
        try {
            hub.shedIfOverBudget();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "shedding over the memory budget failed", e);
        }
    }

    /** Asks for a shedding pass now (from any thread; once per burst, not once per message). */
    void requestShed(Thread thread) {
        if (!shedRequested.get() && shedRequested.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    /** Asks the loop to end; the caller joins the thread. */
    void stop(Thread thread) {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
