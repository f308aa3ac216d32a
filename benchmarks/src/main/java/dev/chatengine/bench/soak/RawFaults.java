package dev.chatengine.bench.soak;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The unhealthy but honest clients of {@code /ws/raw}: churn (connections that upgrade and close at
 * once, {@code churnPerSecond} a second) and slow readers ({@code slow} clients that upgrade and never
 * read, a new batch every 30 s, the old one closed; the server drops those whose queue fills, which is
 * the point).
 *
 * <p>Thread contract: {@link #start} and {@link #stop} are called by the run's thread; the counters may
 * be read from any thread.
 */
final class RawFaults {

    private static final long SLOW_BATCH_SECONDS = 30;
    private static final int SLOW_RECEIVE_BUFFER_BYTES = 4096;
    /** A masked close frame with status 1000 (mask key 01 02 03 04). */
    private static final byte[] CLOSE_1000 = {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, 0x03 ^ 1, (byte) (0xE8 ^ 2)};

    private final int port;
    private final int churnPerSecond;
    private final int slow;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong churned = new AtomicLong();
    private final AtomicLong slowOpened = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    RawFaults(int port, int churnPerSecond, int slow) {
        this.port = port;
        this.churnPerSecond = churnPerSecond;
        this.slow = slow;
    }

    void start() {
        threads.add(Thread.ofVirtual().name("soak-churn").start(this::churn));
        threads.add(Thread.ofVirtual().name("soak-slow").start(this::slowReaders));
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    /** Connections that upgraded and closed. */
    long churned() {
        return churned.get();
    }

    /** Slow readers that upgraded. */
    long slowOpened() {
        return slowOpened.get();
    }

    private void churn() {
        long periodNanos = churnPerSecond > 0 ? 1_000_000_000L / churnPerSecond : Long.MAX_VALUE;
        while (running.get()) {
            try (Socket socket = Wire.socket(port)) {
                if (Wire.head(socket, Wire.handshake("/ws/raw", "")).startsWith("HTTP/1.1 101 ")) {
                    churned.incrementAndGet();
                }
                socket.getOutputStream().write(CLOSE_1000);
            } catch (IOException e) {
                // the next one
            }
            Pause.nanos(periodNanos);
        }
    }

    private void slowReaders() {
        List<Socket> open = new ArrayList<>();
        while (running.get()) {
            List<Socket> batch = new ArrayList<>();
            for (int i = 0; i < slow && running.get(); i++) {
                try {
                    Socket socket = Wire.socket(port);
                    socket.setReceiveBufferSize(SLOW_RECEIVE_BUFFER_BYTES);
                    batch.add(socket);
                    if (Wire.head(socket, Wire.handshake("/ws/raw", "")).startsWith("HTTP/1.1 101 ")) {
                        slowOpened.incrementAndGet();
                    }
                } catch (IOException e) {
                    break;
                }
            }
            open.forEach(Wire::closeQuietly);
            open = batch;
            Pause.whileRunning(running, TimeUnit.SECONDS.toNanos(SLOW_BATCH_SECONDS));
        }
        open.forEach(Wire::closeQuietly);
    }
}
