package dev.chatengine.bench.load;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntToLongFunction;

/**
 * The S senders of a run, one platform thread each while a phase runs. In rate mode sender k of S
 * sends its messages at {@code start + (i + k/S) * S/R}, so the total rate is R and the senders
 * interleave evenly (an open loop: a slow server does not slow the senders). In max mode sender k
 * sends its message {@code seq} only once every connection has received its message
 * {@code seq - window} (a closed loop); it gives up waiting after {@value #STALL_LIMIT_MS} ms and
 * counts a stall, as ../shared/bench/loadgen does.
 *
 * <p>A message carries the time it was <em>meant</em> to be sent: in rate mode its scheduled time, so
 * that a sender which falls behind (a stalled write, a descheduled thread) shows its queueing delay in
 * the latencies instead of hiding it (coordinated omission); in max and once mode, where nothing is
 * scheduled, the time it was sent.
 *
 * <p>Thread contract: {@link #run} is called by the main thread, one phase at a time; the counters
 * may be read from any thread. A message's sequence numbers continue from one phase to the next.
 */
final class Senders {

    private static final long STALL_LIMIT_MS = 1000;
    private static final long STALL_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_LIMIT_MS);
    /** Longest park while waiting for the window; the loops unpark the sender sooner when acks arrive. */
    private static final long WINDOW_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LoadOptions options;
    private final ClientPool pool;
    private final IntToLongFunction completedEverywhere;
    private final ClientConnection[] connections;
    private final long[] nextSeq;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private volatile String firstError;

    /**
     * @param completedEverywhere for a sender, the highest seq every connection of the run (every
     *                            process) has received; used in max mode
     */
    Senders(LoadOptions options, ClientPool pool, IntToLongFunction completedEverywhere) {
        this.options = options;
        this.pool = pool;
        this.completedEverywhere = completedEverywhere;
        int s = options.senders();
        this.connections = new ClientConnection[s];
        this.nextSeq = new long[s];
        for (int k = 0; k < s; k++) {
            connections[k] = pool.sender(k, s);
        }
    }

    long sent() {
        return sent.get();
    }

    long sendErrors() {
        return sendErrors.get();
    }

    long stalls() {
        return stalls.get();
    }

    String firstError() {
        return firstError;
    }

    /** Zeroes the counters, at the start of the measured phase. */
    void resetCounters() {
        sent.set(0);
        sendErrors.set(0);
        stalls.set(0);
    }

    /** Sends one message from sender 0 now; returns its send time. Once mode. */
    long sendOne() throws IOException {
        long ts = System.nanoTime();
        connections[0].send(pool.shared.dialect.data(ts, 0, nextSeq[0]++, options.size()));
        sent.incrementAndGet();
        return ts;
    }

    /** Runs every sender for {@code durationNanos} and waits for all of them to stop. */
    void run(long durationNanos) throws InterruptedException {
        int s = connections.length;
        Thread[] threads = new Thread[s];
        long start = System.nanoTime();
        long stopAt = start + durationNanos;
        for (int k = 0; k < s; k++) {
            int sender = k;
            threads[k] = Thread.ofPlatform().daemon().name("sender-" + k).unstarted(() -> send(sender, start, stopAt));
            pool.shared.ackWaiter(k, threads[k]);
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void send(int k, long start, long stopAt) {
        int s = connections.length;
        ClientConnection c = connections[k];
        double intervalNanos = s / options.rate() * 1e9;
        long first = nextSeq[k];
        long seq = first;
        try {
            while (true) {
                long now = System.nanoTime();
                long stamp;
                if (options.mode() == LoadOptions.Mode.RATE) {
                    long due = start + (long) (((seq - first) + (double) k / s) * intervalNanos);
                    if (due - stopAt >= 0) {
                        break;
                    }
                    if (due - now > 0) {
                        LockSupport.parkNanos(due - now);
                        continue;
                    }
                    stamp = due;
                } else if (now - stopAt >= 0) {
                    break;
                } else {
                    if (options.mode() == LoadOptions.Mode.MAX) {
                        awaitWindow(k, seq);
                    }
                    stamp = System.nanoTime();
                }
                byte[] message = pool.shared.dialect.data(stamp, k, seq, options.size());
                c.send(message);
                sent.incrementAndGet();
                seq++;
            }
        } catch (IOException | RuntimeException e) {
            sendErrors.incrementAndGet();
            if (firstError == null) {
                firstError = "sender " + k + ": " + e;
            }
        } finally {
            nextSeq[k] = seq;
        }
    }

    private void awaitWindow(int k, long seq) {
        long needed = seq - options.window();
        if (needed < 0) {
            return;
        }
        long deadline = System.nanoTime() + STALL_LIMIT_NANOS;
        while (completedEverywhere.applyAsLong(k) < needed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                stalls.incrementAndGet();
                return;
            }
            LockSupport.parkNanos(Math.min(left, WINDOW_PARK_NANOS));
        }
    }
}
