package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Backs {@code HttpServer} off accepting when the process is out of file descriptors, as Go's
 * {@code net/http} and nginx do, instead of letting its dispatcher retry the failing
 * {@code accept()} at once, forever, at 100% of a core and without a word (it logs the
 * {@code IOException} "Too many open files" at TRACE).
 *
 * <pre>{@code
 * HttpServer http = HttpServer.create(address, backlog);
 * AcceptGuard.install(http);      // before or after start
 * }</pre>
 *
 * <p>How: it watches the JDK's {@code com.sun.net.httpserver} logger (java.util.logging, the
 * default backend of {@code System.Logger}) for that failure, then takes the listening socket out
 * of the dispatcher's selector ({@code interestOps(0)} on its key) for a pause that doubles from
 * {@value #FIRST_PAUSE_MILLIS} ms up to {@value #MAX_PAUSE_MILLIS} ms while the failures go on and
 * starts again after an accept succeeds. Connections already open are still served meanwhile (only
 * accepting stops, so {@code /healthz} on a kept-alive connection answers), new clients wait in the
 * kernel's backlog, and the server recovers by itself once descriptors are free. A WARNING is logged
 * at most once per {@value #LOG_INTERVAL_SECONDS} s with the number of failed accepts since the last one.
 * The first line of defence is {@code jdk.httpserver.maxConnections} below the descriptor limit
 * ({@link HttpServerProperties}); this guard covers descriptors used by anything else.
 *
 * <p>Thread-safe. Relies on JDK 25's {@code ServerImpl.listenerKey} and {@code selector}; when they
 * are not there, {@link #install} logs a WARNING and the server runs unguarded.
 */
public final class AcceptGuard {

    private static final System.Logger LOG = System.getLogger(AcceptGuard.class.getName());

    static final long FIRST_PAUSE_MILLIS = 5;
    static final long MAX_PAUSE_MILLIS = 1000;
    static final long LOG_INTERVAL_SECONDS = 10;
    private static final String HTTP_SERVER_LOGGER = "com.sun.net.httpserver";

    /** Strongly held: java.util.logging keeps loggers weakly, and would forget its level. */
    private static final Logger JUL_LOGGER = Logger.getLogger(HTTP_SERVER_LOGGER);
    private static final List<AcceptGuard> GUARDS = new CopyOnWriteArrayList<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("accept-guard").factory());
    private static volatile boolean watching;

    private final SelectionKey listenerKey;
    private final Selector selector;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong failuresTotal = new AtomicLong();
    private long pauseMillis = FIRST_PAUSE_MILLIS; // guarded by this
    private boolean paused; // guarded by this
    private long nextLogNanos = System.nanoTime(); // guarded by this
    private long lastFailureNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1); // guarded by this

    private AcceptGuard(SelectionKey listenerKey, Selector selector) {
        this.listenerKey = listenerKey;
        this.selector = selector;
    }

    /** Guards {@code server}'s accepting; returns false (after a WARNING) where the JDK's internals differ. */
    public static boolean install(HttpServer server) {
        AcceptGuard guard;
        try {
            Object impl = field(server, "server");
            guard = new AcceptGuard((SelectionKey) field(impl, "listenerKey"), (Selector) field(impl, "selector"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot guard HttpServer's accept against running out of file descriptors on "
                    + Runtime.version() + ": " + e);
            return false;
        }
        GUARDS.add(guard);
        watch();
        return true;
    }

    /** Accepts that failed for want of a descriptor, since this guard was installed. */
    long failedAccepts() {
        return failuresTotal.get();
    }

    private static synchronized void watch() {
        if (watching) {
            return;
        }
        watching = true;
        java.util.logging.Level current = JUL_LOGGER.getLevel();
        if (current == null || current.intValue() > java.util.logging.Level.FINER.intValue()) {
            // System.Logger's TRACE is java.util.logging's FINER: the level HttpServer reports accept failures at.
            JUL_LOGGER.setLevel(java.util.logging.Level.FINER);
        }
        JUL_LOGGER.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isOutOfDescriptors(record.getThrown())) {
                    GUARDS.forEach(AcceptGuard::onAcceptFailed);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        // The records HttpServer now makes at TRACE still go to the root handlers, which print INFO and up by default.
    }

    static boolean isOutOfDescriptors(Throwable thrown) {
        return thrown instanceof java.io.IOException && thrown.getMessage() != null
                && thrown.getMessage().contains("Too many open files"); // EMFILE, and ENFILE's "... in system"
    }

    /** On the dispatcher thread, right after its accept failed: stop selecting the listener for a while. */
    private void onAcceptFailed() {
        failures.incrementAndGet();
        failuresTotal.incrementAndGet();
        long pause;
        synchronized (this) {
            if (paused) {
                return;
            }
            paused = true;
            long now = System.nanoTime();
            if (now - lastFailureNanos > TimeUnit.MILLISECONDS.toNanos(2 * MAX_PAUSE_MILLIS)) {
                pauseMillis = FIRST_PAUSE_MILLIS; // a new episode: start small again
            }
            lastFailureNanos = now;
            pause = pauseMillis;
            pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
            if (now - nextLogNanos >= 0) {
                nextLogNanos = now + TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS);
                long count = failures.getAndSet(0);
                LOG.log(Level.WARNING, "HttpServer cannot accept connections: out of file descriptors (" + count
                        + " failed accepts since the last warning); pausing accept for " + pause
                        + " ms, up to " + MAX_PAUSE_MILLIS + " ms while it lasts (open connections are still served)");
            }
        }
        try {
            listenerKey.interestOps(0);
        } catch (RuntimeException e) {
            return; // the server stopped: its key is cancelled
        }
        TIMER.schedule(this::resume, pause, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        synchronized (this) {
            paused = false;
        }
        try {
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
            selector.wakeup();
        } catch (RuntimeException e) {
            GUARDS.remove(this); // the server stopped
            return;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Class<?> type = owner.getClass();
        while (type != null) {
            try {
                java.lang.reflect.Field declared = type.getDeclaredField(name);
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).unreflectVarHandle(declared).get(owner);
            } catch (NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }
}
