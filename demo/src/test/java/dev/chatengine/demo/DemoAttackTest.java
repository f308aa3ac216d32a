package dev.chatengine.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chatengine.demo.AttackSockets.answer;
import static dev.chatengine.demo.AttackSockets.exchangeHead;
import static dev.chatengine.demo.AttackSockets.socket;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's attacks against a demo in a child JVM with {@code -Xmx256m} and its default limits,
 * while 5 healthy clients chat on {@code /ws/raw}: 300 handshakes each sending a 388 KB header line
 * and stalling, 1,000 slowloris heads, an oversize header (431) and one past the hard cap (closed),
 * a client address over its caps behind a trusted proxy (429), and the connection cap (503, in a
 * second child with {@code --max-connections}). Each leaves the process alive and answering, the
 * healthy clients lose nothing, and the heap returns near its baseline once the attackers left.
 * Bounded in count and time; loopback only; no timed assertions (deadlines are generous waits).
 */
class DemoAttackTest {

    /** Near the baseline: what the young attackers' garbage and the healthy clients' history may add. */
    static final long HEAP_SLACK_BYTES = 24L * 1024 * 1024;

    @Test
    void attacksLeaveTheProcessAliveTheHealthyClientsWholeAndTheHeapNearItsBaseline() throws Exception {
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx256m"), List.of("--trusted-proxy", "127.0.0.1"), 0)) {
            URI raw = URI.create("ws://127.0.0.1:" + demo.port() + "/ws/raw");
            try (HealthyClients healthy = HealthyClients.raw(raw, 5, Duration.ofMillis(100))) {
                long baseline = demo.heapUsedAfterGc();

                // 1. 300 stalled handshakes with one huge header line each (it killed a -Xmx512m demo in 5 s).
                assertThat(cutWithoutAnAnswer(demo.port(), 300,
                        "GET /ws HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(388 * 1024))).isEqualTo(300);
                demo.assertAnswers();

                // 2. 1,000 slowloris heads: a request line and one header, then nothing; cut at the head deadline.
                assertThat(cutWithoutAnAnswer(demo.port(), 1000, "GET / HTTP/1.1\r\nHost: x\r\nX-a: b\r\n")).isEqualTo(1000);
                demo.assertAnswers();

                // 3. An oversize header gets 431; past HttpServer's hard cap the connection is cut.
                assertThat(answer(demo.port(), handshake("X-Big: " + "a".repeat(40 * 1024) + "\r\n"))).startsWith("HTTP/1.1 431 ");
                assertThat(cutWithoutAnAnswer(demo.port(), 1, handshake("X-Big: " + "a".repeat(100 * 1024) + "\r\n"))).isEqualTo(1);

                // 4. One client address (named by the trusted proxy) over its caps gets 429; another is served.
                List<Socket> held = new ArrayList<>();
                int upgraded = 0;
                String refusal = null;
                for (int i = 0; i < 80 && refusal == null; i++) {
                    Socket socket = socket(demo.port());
                    held.add(socket);
                    String head = exchangeHead(socket, handshake("X-Forwarded-For: 203.0.113.9\r\n"));
                    if (head.startsWith("HTTP/1.1 101 ")) {
                        upgraded++;
                    } else {
                        refusal = head;
                    }
                }
                assertThat(refusal).startsWith("HTTP/1.1 429 ").containsIgnoringCase("Retry-After: ");
                assertThat(upgraded).isBetween(1, 64);
                try (Socket other = socket(demo.port())) {
                    assertThat(exchangeHead(other, handshake("X-Forwarded-For: 203.0.113.10\r\n"))).startsWith("HTTP/1.1 101 ");
                }
                for (Socket socket : held) {
                    socket.close();
                }
                demo.assertAnswers();

                int messages = healthy.assertNothingLost();
                long after = demo.awaitHeapNear(baseline, HEAP_SLACK_BYTES);
                System.out.printf("DemoAttackTest: heap after GC %.1f MiB at the start, %.1f MiB after the attacks; "
                                + "%d healthy messages, none lost; threads %d, descriptors %d%n",
                        baseline / 1048576.0, after / 1048576.0, messages, demo.threads(), demo.fileDescriptors());
            }
            assertThat(demo.isAlive()).isTrue();
        }
    }

    @Test
    void overTheConnectionCapHandshakesGet503WithRetryAfterAndTheProcessServesOn() throws Exception {
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx256m"), List.of("--max-connections", "10"), 0)) {
            List<Socket> held = new ArrayList<>();
            String refusal = null;
            for (int i = 0; i < 20 && refusal == null; i++) {
                Socket socket = socket(demo.port());
                held.add(socket);
                String head = exchangeHead(socket, handshake(""));
                if (!head.startsWith("HTTP/1.1 101 ")) {
                    refusal = head;
                }
            }
            assertThat(refusal).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 5");
            assertThat(held).hasSize(11);
            demo.assertAnswers();
            for (Socket socket : held) {
                socket.close();
            }
            awaitUpgrade(demo.port());
            assertThat(demo.isAlive()).isTrue();
        }
    }

    /**
     * Opens {@code count} connections that each send {@code bytes} and then stall, and returns how
     * many the server cut (end of stream or reset) without answering a byte. Each on a virtual thread.
     */
    private static int cutWithoutAnAnswer(int port, int count, String bytes) throws InterruptedException {
        byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger cut = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Thread.ofVirtual().name("attacker").start(() -> {
                try (Socket socket = socket(port)) {
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            OutputStream out = socket.getOutputStream();
                            out.write(payload);
                            out.flush();
                        } catch (IOException e) {
                            // cut while writing: the read below sees it
                        }
                    });
                    try {
                        if (socket.getInputStream().read() < 0) {
                            cut.incrementAndGet();
                        }
                    } catch (SocketException reset) {
                        cut.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // not cut: counted as a failure
                    }
                    writer.join();
                } catch (IOException | InterruptedException e) {
                    // could not connect: counted as a failure
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
        return cut.get();
    }

    private static String handshake(String extraHeaders) {
        return AttackSockets.handshake("/ws/raw", extraHeaders);
    }

    private static void awaitUpgrade(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answer(port, handshake("")).startsWith("HTTP/1.1 101 ")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not upgraded again within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
