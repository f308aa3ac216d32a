package dev.chatengine.bench.soak;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Sleeping for the soak's load threads: an interrupt ends the sleep and stays set. Stateless. */
final class Pause {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private Pause() {
    }

    static void nanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void millis(long millis) {
        nanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Sleeps {@code nanos}, or less once {@code running} turns false (checked every 200 ms). */
    static void whileRunning(AtomicBoolean running, long nanos) {
        long until = System.nanoTime() + nanos;
        while (running.get() && System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
            nanos(Math.min(POLL_NANOS, until - System.nanoTime()));
        }
    }
}
