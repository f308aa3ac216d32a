package dev.chatengine.transport.jdk.server;

import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits the handler answers itself ({@link ConnectionGate}), over real loopback sockets: 431
 * and 414 for oversize heads, 503 with {@code Retry-After} over the connection cap or the memory
 * budget, 429 over the per-address caps, loopback exempt by default, {@code X-Forwarded-For} only
 * from a trusted proxy. The limits {@code HttpServer} enforces itself are in {@link HttpServerLimitsTest}.
 */
class HandshakeLimitsOverSocketTest {

    private static WebSocketConfig config(HandshakeLimits.Builder limits) {
        return WebSocketConfig.builder().handshakeLimits(limits.build()).build();
    }

    /** Sends {@code request} on a fresh socket and returns the response head. */
    private static String exchange(EchoServer server, String request) throws IOException {
        try (RawClient client = RawClient.open(server.port())) {
            client.send(request.getBytes(StandardCharsets.ISO_8859_1));
            return client.readResponseHead();
        }
    }

    private static RawClient upgrade(EchoServer server, String extraHeaders) throws IOException {
        RawClient client = RawClient.open(server.port());
        client.send(RawClient.handshake(server.port(), "/ws", extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
        String head = client.readResponseHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new AssertionError("expected 101, got: " + head);
        }
        return client;
    }

    private static String header(String name, int valueLength) {
        return name + ": " + "a".repeat(valueLength) + "\r\n";
    }

    @Test
    void headersOverTheCapGet431AndJustUnderItAreUpgraded() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder()))) {
            String over = exchange(server, RawClient.handshake(server.port(), "/ws", header("X-Big", 17 * 1024)));
            assertThat(over).startsWith("HTTP/1.1 431 ");
            String bigButAllowed = exchange(server, RawClient.handshake(server.port(), "/ws", header("X-Big", 15 * 1024)));
            assertThat(bigButAllowed).startsWith("HTTP/1.1 101 ");
            // Many small headers count as HttpServer counts them: 32 bytes more per line.
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                many.append(header("X-H" + i, 80));
            }
            assertThat(exchange(server, RawClient.handshake(server.port(), "/ws", many.toString()))).startsWith("HTTP/1.1 431 ");
        }
    }

    @Test
    void aRequestLineOverTheCapGets414() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder()))) {
            String head = exchange(server, RawClient.handshake(server.port(), "/ws?q=" + "b".repeat(20 * 1024), ""));
            assertThat(head).startsWith("HTTP/1.1 414 ");
        }
    }

    @Test
    void overTheConnectionCapHandshakesGet503WithRetryAfterUntilOneLeaves() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder().maxConnections(2).retryAfter(java.time.Duration.ofSeconds(7))))) {
            RawClient first = upgrade(server, "");
            try (RawClient second = upgrade(server, "")) {
                String refused = exchange(server, RawClient.handshake(server.port(), "/ws", ""));
                assertThat(refused).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 7\r\n");
                server.awaitSessions(2); // a session is counted just after its 101 is written
                first.close();
                server.awaitSessions(1);
                awaitUpgrade(server).close();
            }
        }
    }

    @Test
    void overTheMemoryBudgetHandshakesGet503AndAreAdmittedOnceUnder() throws Exception {
        AtomicBoolean over = new AtomicBoolean(true);
        WebSocketConfig config = config(HandshakeLimits.builder().overMemoryBudget(over::get));
        try (EchoServer server = EchoServer.start(config)) {
            String refused = exchange(server, RawClient.handshake(server.port(), "/ws", ""));
            assertThat(refused).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 5\r\n");
            over.set(false);
            upgrade(server, "").close();
            assertThat(config.connectionGate().refusedHandshakes()).isEqualTo(1);
        }
    }

    @Test
    void anAddressOverItsConnectionCapGets429WhenLoopbackIsNotExempt() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder().exemptLoopback(false).maxConnectionsPerAddress(2)))) {
            try (RawClient a = upgrade(server, ""); RawClient b = upgrade(server, "")) {
                String refused = exchange(server, RawClient.handshake(server.port(), "/ws", ""));
                assertThat(refused).startsWith("HTTP/1.1 429 ").containsIgnoringCase("Retry-After: ");
            }
            server.awaitNoSessions();
            upgrade(server, "").close();
        }
    }

    @Test
    void anAddressOverItsHandshakeRateGets429() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder().exemptLoopback(false)
                .handshakesPerAddress(0.001, 3)))) {
            for (int i = 0; i < 3; i++) {
                upgrade(server, "").close();
            }
            String refused = exchange(server, RawClient.handshake(server.port(), "/ws", ""));
            assertThat(refused).startsWith("HTTP/1.1 429 ").containsIgnoringCase("Retry-After: 5\r\n");
        }
    }

    @Test
    void loopbackIsExemptFromThePerAddressCapsByDefault() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder().maxConnectionsPerAddress(1)
                .handshakesPerAddress(0.001, 1)))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    clients.add(upgrade(server, ""));
                }
                server.awaitSessions(5);
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aTrustedProxysForwardedForNamesTheClientAndIsCappedPerClient() throws Exception {
        InetAddress proxy = InetAddress.getLoopbackAddress();
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder().trustedProxies(Set.of(proxy))
                .maxConnectionsPerAddress(1)))) {
            try (RawClient client = upgrade(server, "X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n")) {
                assertThat(remoteAddressSeenByTheServer(client)).isEqualTo("203.0.113.7");
                String sameClient = exchange(server, RawClient.handshake(server.port(), "/ws",
                        "X-Forwarded-For: 203.0.113.7\r\n"));
                assertThat(sameClient).startsWith("HTTP/1.1 429 ");
                try (RawClient other = upgrade(server, "X-Forwarded-For: 203.0.113.8\r\n")) {
                    assertThat(remoteAddressSeenByTheServer(other)).isEqualTo("203.0.113.8");
                }
                // The proxy's own connections (no header) are exempt.
                try (RawClient direct = upgrade(server, ""); RawClient direct2 = upgrade(server, "")) {
                    assertThat(remoteAddressSeenByTheServer(direct)).startsWith("127.0.0.1:");
                }
            }
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (EchoServer server = EchoServer.start(config(HandshakeLimits.builder()))) {
            try (RawClient client = upgrade(server, "X-Forwarded-For: 203.0.113.7\r\n")) {
                assertThat(remoteAddressSeenByTheServer(client)).startsWith("127.0.0.1:");
            }
        }
    }

    private static String remoteAddressSeenByTheServer(RawClient client) throws Exception {
        client.sendText("address");
        ReadEvent event = client.readEvent();
        assertThat(event).isInstanceOf(ReadEvent.Message.class);
        return new String(((ReadEvent.Message) event).payload(), StandardCharsets.UTF_8);
    }

    /** Retries the handshake until it is upgraded (a released slot is counted off asynchronously), up to 20 s. */
    private static RawClient awaitUpgrade(EchoServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            RawClient client = RawClient.open(server.port());
            client.send(RawClient.handshake(server.port(), "/ws", "").getBytes(StandardCharsets.ISO_8859_1));
            String head = client.readResponseHead();
            if (head.startsWith("HTTP/1.1 101")) {
                return client;
            }
            client.close();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still refused after 20 s: " + head);
            }
            Thread.sleep(20);
        }
    }
}
