package dev.chatengine.bench.soak;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attacks on the HTTP side, one wave every {@code every}: 300 handshakes stalling after a 388 KB
 * header line, 500 slowloris heads, an oversize header (the server must answer 431), a head past the
 * hard cap, and one client address behind the trusted proxy over its caps (429). Every stalled
 * connection must be cut by the server.
 *
 * <p>Thread contract: {@link #start} and {@link #stop} are called by the run's thread; the counters may
 * be read from any thread.
 */
final class HttpAttacks {

    private static final int HUGE_LINE_CONNECTIONS = 300;
    private static final int HUGE_LINE_BYTES = 388 * 1024;
    private static final int SLOWLORIS_CONNECTIONS = 500;
    private static final int OVERSIZE_HEADER_BYTES = 40 * 1024;
    private static final int PAST_HARD_CAP_BYTES = 100 * 1024;
    /** More than the per-address cap (64 connections, 10 handshakes a second, bursts of 30). */
    private static final int SAME_ADDRESS_CONNECTIONS = 80;
    private static final String SAME_ADDRESS = "203.0.113.9";

    private final int port;
    private final Duration every;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong answered431 = new AtomicLong();
    private final AtomicLong answered429 = new AtomicLong();
    private Thread thread;

    HttpAttacks(int port, Duration every) {
        this.port = port;
        this.every = every;
    }

    void start() {
        thread = Thread.ofVirtual().name("soak-http-attacks").start(this::waves);
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.MINUTES.toMillis(2));
    }

    /** Attacking connections that stalled. */
    long connections() {
        return connections.get();
    }

    /** Of those, the ones the server cut. */
    long cut() {
        return cut.get();
    }

    long answered431() {
        return answered431.get();
    }

    long answered429() {
        return answered429.get();
    }

    private void waves() {
        String hugeLine = "GET /ws HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HUGE_LINE_BYTES);
        while (running.get()) {
            List<Thread> wave = new ArrayList<>();
            for (int i = 0; i < HUGE_LINE_CONNECTIONS; i++) {
                wave.add(stalled(hugeLine));
            }
            for (int i = 0; i < SLOWLORIS_CONNECTIONS; i++) {
                wave.add(stalled("GET / HTTP/1.1\r\nHost: x\r\nX-a: b\r\n"));
            }
            try (Socket socket = Wire.socket(port)) {
                String extra = "X-Big: " + "a".repeat(OVERSIZE_HEADER_BYTES) + "\r\n";
                if (Wire.head(socket, Wire.handshake("/ws/raw", extra)).startsWith("HTTP/1.1 431 ")) {
                    answered431.incrementAndGet();
                }
            } catch (IOException e) {
                // counted by its absence
            }
            wave.add(stalled(Wire.handshake("/ws/raw", "X-Big: " + "a".repeat(PAST_HARD_CAP_BYTES) + "\r\n")));
            sameAddressOverCap();
            for (Thread t : wave) {
                try {
                    t.join(TimeUnit.MINUTES.toMillis(2));
                } catch (InterruptedException e) {
                    return;
                }
            }
            Pause.whileRunning(running, every.toNanos());
        }
    }

    private void sameAddressOverCap() {
        List<Socket> sameAddress = new ArrayList<>();
        for (int i = 0; i < SAME_ADDRESS_CONNECTIONS; i++) {
            try {
                Socket socket = Wire.socket(port);
                sameAddress.add(socket);
                String head = Wire.head(socket, Wire.handshake("/ws/raw", "X-Forwarded-For: " + SAME_ADDRESS + "\r\n"));
                if (head.startsWith("HTTP/1.1 429 ")) {
                    answered429.incrementAndGet();
                    break;
                }
            } catch (IOException e) {
                break;
            }
        }
        sameAddress.forEach(Wire::closeQuietly);
    }

    /** One attacking connection: sends {@code bytes}, stalls, and counts whether the server cut it. */
    private Thread stalled(String bytes) {
        connections.incrementAndGet();
        return Thread.ofVirtual().name("soak-attacker").start(() -> {
            try (Socket socket = Wire.socket(port)) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        // cut while writing
                    }
                });
                try {
                    if (socket.getInputStream().read() < 0) {
                        cut.incrementAndGet();
                    }
                } catch (SocketException reset) {
                    cut.incrementAndGet();
                }
                writer.join();
            } catch (IOException | InterruptedException e) {
                // not counted as cut
            }
        });
    }
}
