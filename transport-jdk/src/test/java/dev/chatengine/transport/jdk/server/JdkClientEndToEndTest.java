package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end with a client this project did not write: the JDK's {@code java.net.http.WebSocket}. */
class JdkClientEndToEndTest {

    private static EchoServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = EchoServer.start(WebSocketConfig.builder().maxMessageBytes(128 * 1024).build());
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        client.shutdownNow(); // close() would wait for a broken server forever
    }

    private static WebSocket connect(RecordingListener listener) {
        return client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(server.uri("/ws"), listener).join();
    }

    @ParameterizedTest(name = "text of {0} bytes") // 7-bit, 16-bit and 64-bit length encodings and their edges
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 100_000})
    void echoesTextOfEveryLengthEncoding(int length) throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        String text = "x".repeat(length);
        ws.sendText(text, true).join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text(text));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1000, ""));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
    }

    @ParameterizedTest(name = "binary of {0} bytes")
    @ValueSource(ints = {125, 126, 65535, 65536})
    void echoesBinary(int length) throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
        RecordingListener.Event event = listener.next();
        assertThat(event).isInstanceOf(RecordingListener.Binary.class);
        assertThat(((RecordingListener.Binary) event).data()).isEqualTo(data);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1000, ""));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
    }

    @Test
    void joinsAFragmentedMessage() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        ws.sendText("Hello, ", false).join();
        ws.sendText("wörld", false).join();
        ws.sendPing(ByteBuffer.wrap("between".getBytes(StandardCharsets.UTF_8))).join(); // a control frame between fragments
        ws.sendText("!", true).join();
        assertThat(listener.next()).usingRecursiveComparison()
                .isEqualTo(new RecordingListener.Pong("between".getBytes(StandardCharsets.UTF_8)));
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text("Hello, wörld!"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        listener.next();
    }

    @Test
    void answersPingWithPongOfTheSamePayloadAndReportsPongs() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
        RecordingListener.Event pong = listener.next();
        assertThat(pong).isInstanceOf(RecordingListener.Pong.class);
        assertThat(((RecordingListener.Pong) pong).data()).containsExactly(1, 2, 3);

        ws.sendText("ping", true).join(); // the server pings; the JDK client answers; the server reports the pong
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text("pong"));

        ws.sendPong(ByteBuffer.wrap(new byte[] {9})).join(); // unsolicited pong: accepted, reported
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text("pong"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        listener.next();
    }

    @Test
    void echoesTheClientsCloseCode() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        ws.sendClose(4000, "bye").join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(4000, ""));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
    }

    @Test
    void serverInitiatedCloseCarriesTheMappedCodeAndEndsWithTheClientsAnswer() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = connect(listener);
        ws.sendText("close:SLOW_CONSUMER", true).join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1008, "slow consumer"));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.SLOW_CONSUMER);
        assertThat(ws.isInputClosed()).isTrue();
    }

    @Test
    void closeAllSendsGoingAwayAndRefusesNewHandshakes() throws Exception {
        try (EchoServer own = EchoServer.start(WebSocketConfig.defaults())) {
            RecordingListener first = new RecordingListener();
            RecordingListener second = new RecordingListener();
            client.newWebSocketBuilder().buildAsync(own.uri("/ws"), first).join();
            client.newWebSocketBuilder().buildAsync(own.uri("/ws"), second).join();
            own.handler.closeAll(Duration.ofSeconds(10));
            assertThat(first.next()).isEqualTo(new RecordingListener.Close(1001, "going away"));
            assertThat(second.next()).isEqualTo(new RecordingListener.Close(1001, "going away"));
            assertThat(own.handler.openSessions()).isZero();
            assertThat(client.newWebSocketBuilder().buildAsync(own.uri("/ws"), new RecordingListener()))
                    .failsWithin(Duration.ofSeconds(20));
        }
    }
}
