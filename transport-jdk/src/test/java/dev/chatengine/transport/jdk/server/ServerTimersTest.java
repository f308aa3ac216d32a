package dev.chatengine.transport.jdk.server;

import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A WebSocket outlives {@code HttpServer}'s own timers: the idle timer ({@code sun.net.httpserver.idleInterval})
 * and the response timer ({@code sun.net.httpserver.maxRspTime}). Both are read once per JVM, so this class
 * runs in its own surefire execution (see transport-jdk/pom.xml) with them shortened to 1 s.
 */
class ServerTimersTest {

    @BeforeAll
    static void requireShortTimers() {
        assumeTrue("1".equals(System.getProperty("sun.net.httpserver.idleInterval"))
                        && "1".equals(System.getProperty("sun.net.httpserver.maxRspTime")),
                "runs in the surefire execution 'server-timers', which sets the server's timers to 1 s");
    }

    @Test
    void webSocketOutlivesIdleIntervalAndMaxRspTime() throws Exception {
        CountDownLatch releaseSlow = new CountDownLatch(1);
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             RawClient webSocket = RawClient.connect(server.port(), "/ws")) {
            server.server.createContext("/slow", exchange -> {
                try {
                    releaseSlow.await(30, TimeUnit.SECONDS);
                    exchange.sendResponseHeaders(204, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            webSocket.sendText("before");
            assertThat(webSocket.readEvent()).isEqualTo(text("before"));

            try (RawClient idle = RawClient.open(server.port()); RawClient slow = RawClient.open(server.port())) {
                idle.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(idle.readResponseHead()).startsWith("HTTP/1.1 200");
                assertThat(idle.in.readNBytes(5)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
                slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

                // Proof that both timers ran past their 1 s on connections younger than the WebSocket's:
                assertThat(closedByServer(idle.in)).as("idle keep-alive connection closed by the idle timer").isTrue();
                assertThat(closedByServer(slow.in)).as("slow response closed by the response timer").isTrue();
            } finally {
                releaseSlow.countDown();
            }

            webSocket.sendText("after");
            assertThat(webSocket.readEvent()).isEqualTo(text("after"));
            assertThat(server.handler.openSessions()).isEqualTo(1);
        }
    }

    private static ReadEvent text(String s) {
        return new ReadEvent.Message(true, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Blocks (up to the client's 20 s read timeout) until the server closes the connection. */
    private static boolean closedByServer(InputStream in) throws Exception {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
