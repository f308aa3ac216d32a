package dev.chatengine.transport.jdk.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread, shared by every WebSocket connection of the JVM, that cuts off peers which
 * do not answer a close frame in time. Its tasks only close sockets, which does not block, so one
 * daemon thread serves any number of connections. Thread-safe.
 */
final class CloseTimer {

    private CloseTimer() {
    }

    /** Runs {@code task} after {@code delay} unless cancelled; cancelled tasks are removed at once. */
    static ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return Holder.EXECUTOR.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Lazy: no thread until the first close. */
    private static final class Holder {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon().name("websocket-close-timer").factory());
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
