package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits {@code HttpServer} enforces itself once {@link HttpServerProperties#apply} set them,
 * over real sockets: a head that stalls is cut at the deadline, so is a connection that sends
 * nothing; a head past the hard cap is cut without a status while one under it gets the handler's
 * 431; past the hard connection cap a new connection is closed at once. Runs in a JVM of its own
 * (the {@code http-server-limits} execution): {@code HttpServer} reads these settings once per JVM.
 */
class HttpServerLimitsTest {

    private static final HandshakeLimits LIMITS = HandshakeLimits.builder()
            .headDeadline(Duration.ofSeconds(2))
            .maxConnections(6)
            .hardMaxConnections(6)
            .build();
    private static EchoServer server;

    @BeforeAll
    static void start() {
        // With -Dtest=... this class also lands in the shared JVM, where some HttpServer came first.
        Assumptions.assumeTrue(Boolean.getBoolean("chatengine.httpServerLimitsJvm"), "runs in its own JVM only");
        HttpServerProperties.InEffect inEffect = HttpServerProperties.apply(LIMITS);
        assertThat(inEffect).isEqualTo(new HttpServerProperties.InEffect(2, 64 * 1024, 6));
        assertThat(inEffect.enforces(LIMITS)).isTrue();
        server = EchoServer.start(WebSocketConfig.builder().handshakeLimits(LIMITS).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHeadThatStallsAfterItsFirstBytesIsCutAtTheDeadline() throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            client.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaa".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readsEndWithoutAStatus(client.in)).isTrue();
        }
        try (RawClient client = RawClient.open(server.port())) {
            client.send("G".getBytes(StandardCharsets.ISO_8859_1)); // one byte, then nothing
            assertThat(readsEndWithoutAStatus(client.in)).isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsCut() throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            assertThat(readsEndWithoutAStatus(client.in)).isTrue();
        }
    }

    @Test
    void aHeadPastTheHardCapIsCutWhileOneUnderItGets431() throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            client.send(RawClient.handshake(server.port(), "/ws", "X-Big: " + "a".repeat(40 * 1024) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readResponseHead()).startsWith("HTTP/1.1 431 ");
        }
        try (RawClient client = RawClient.open(server.port())) {
            try {
                client.send(RawClient.handshake(server.port(), "/ws", "X-Big: " + "a".repeat(70 * 1024) + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            } catch (SocketException reset) {
                // Cut while we were still sending: as good.
            }
            assertThat(readsEndWithoutAStatus(client.in)).isTrue();
        }
    }

    @Test
    void pastTheHardConnectionCapANewConnectionIsClosedAtOnceAndServedAgainAfter() throws Exception {
        List<RawClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                sessions.add(RawClient.connect(server.port(), "/ws"));
            }
            server.awaitSessions(6);
            try (RawClient seventh = RawClient.open(server.port())) {
                try {
                    seventh.send(RawClient.handshake(server.port(), "/ws", "").getBytes(StandardCharsets.ISO_8859_1));
                } catch (SocketException reset) {
                    // closed before we wrote
                }
                assertThat(readsEndWithoutAStatus(seventh.in)).isTrue();
            }
        } finally {
            for (RawClient session : sessions) {
                session.close();
            }
        }
        server.awaitNoSessions();
        awaitServed();
    }

    /** True when the server ends the connection (end of stream or reset) without having sent a byte. */
    private static boolean readsEndWithoutAStatus(InputStream in) throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("the server answered instead of closing: " + (char) b
                        + new String(in.readNBytes(40), StandardCharsets.ISO_8859_1));
            }
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not closed within " + RawClient.READ_TIMEOUT_MILLIS + " ms", e);
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Waits until a new connection is upgraded again, up to 20 s (the server counts closes off asynchronously). */
    private static void awaitServed() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                RawClient.connect(server.port(), "/ws").close();
                return;
            } catch (IOException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not served again within 20 s", e);
                }
                Thread.sleep(20);
            }
        }
    }
}
