package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ending sessions keeps {@code HttpServer}'s bookkeeping right: no exchange count leaks, so
 * {@code stop} returns without waiting its delay, and {@code closeAll} before it gives clients 1001.
 */
class ShutdownTest {

    /** Far longer than any of these tests may take: stop() waiting for it would show a leaked exchange. */
    private static final int STOP_DELAY_SECONDS = 60;

    @Test
    void sessionsThatEndReleaseTheirExchange() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             AutoCloseable ignored = client::shutdownNow) { // close() would wait for a broken server forever
            for (int i = 0; i < 3; i++) {
                RecordingListener listener = new RecordingListener();
                WebSocket ws = client.newWebSocketBuilder().buildAsync(server.uri("/ws"), listener).join();
                ws.sendText("hi", true).join();
                assertThat(listener.next()).isEqualTo(new RecordingListener.Text("hi"));
                assertThat(ServerInternals.exchangeCount(server.server)).isEqualTo(1);
                ws.sendClose(1000, "").join();
                listener.next();
                assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
            }
            try (RawClient raw = RawClient.connect(server.port(), "/ws")) {
                raw.sendFrame(true, dev.chatengine.transport.jdk.protocol.Opcode.TEXT, new byte[] {(byte) 0xFF});
                raw.readEvent(); // 1007
                assertThat(raw.readsEndOfStream()).isTrue();
            }
            try (RawClient raw = RawClient.connect(server.port(), "/ws")) {
                // The client vanishes without a close.
            }
            // The two sessions end on their own threads, in either order.
            assertThat(java.util.List.of(server.nextEnd(), server.nextEnd()))
                    .containsExactlyInAnyOrder(DisconnectReason.PROTOCOL_ERROR, DisconnectReason.CONNECTION_LOST);
            assertThat(ServerInternals.awaitExchangeCount(server.server, 0)).isZero();
        }
    }

    @Test
    void stopAfterCloseAllReturnsPromptlyAndClientsSeeGoingAway() throws Exception {
        EchoServer server = EchoServer.start(WebSocketConfig.defaults());
        HttpClient client = HttpClient.newHttpClient();
        try (AutoCloseable ignored = client::shutdownNow) {
            List<RecordingListener> listeners = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RecordingListener listener = new RecordingListener();
                client.newWebSocketBuilder().buildAsync(server.uri("/ws"), listener).join();
                listeners.add(listener);
            }
            try (RawClient plain = RawClient.open(server.port())) { // a plain keep-alive connection beside them
                plain.send(("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(plain.readResponseHead()).startsWith("HTTP/1.1 200");
            }
            server.awaitSessions(20);

            server.handler.closeAll(Duration.ofSeconds(20));
            for (RecordingListener listener : listeners) {
                assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1001, "going away"));
            }
            assertThat(server.handler.openSessions()).isZero();
            assertThat(ServerInternals.awaitExchangeCount(server.server, 0)).isZero();

            long start = System.nanoTime();
            server.server.stop(STOP_DELAY_SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(STOP_DELAY_SECONDS / 2));
        } finally {
            server.close();
        }
    }

    @Test
    void closeAllCutsOffPeersThatDoNotAnswerWithinTheGrace() throws Exception {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             RawClient silent = RawClient.connect(server.port(), "/ws")) {
            server.handler.closeAll(Duration.ofMillis(200)); // shorter than the 5 s close timeout
            assertThat(silent.readEvent()).isEqualTo(new dev.chatengine.transport.jdk.protocol.ReadEvent.Close(
                    new dev.chatengine.transport.jdk.protocol.CloseStatus(1001, "going away")));
            assertThat(silent.readsEndOfStream()).isTrue();
            assertThat(server.handler.openSessions()).isZero();
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.SHUTDOWN);
            assertThat(ServerInternals.awaitExchangeCount(server.server, 0)).isZero();
        }
    }
}
