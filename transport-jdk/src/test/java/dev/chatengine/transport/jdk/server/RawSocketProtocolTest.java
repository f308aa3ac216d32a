package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-made bytes over a real socket: protocol violations get the right close code and the server
 * closes the socket; a first frame pipelined behind the handshake is kept; a peer that never answers
 * a close is cut off.
 */
class RawSocketProtocolTest {

    private static final int MAX_MESSAGE_BYTES = 1024;
    /** Long enough that no test but the cutoff test meets it on a busy machine. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SHORT_CLOSE_TIMEOUT = Duration.ofMillis(300);

    private static EchoServer server;

    @BeforeAll
    static void start() {
        server = EchoServer.start(WebSocketConfig.builder()
                .maxMessageBytes(MAX_MESSAGE_BYTES).closeTimeout(CLOSE_TIMEOUT).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void forgetSessions() throws InterruptedException {
        server.awaitNoSessions();
        server.ended.clear(); // a failed test must not hand its session's end to the next one
    }

    @Test
    void keepsAFramePipelinedRightBehindTheHandshake() throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            byte[] handshake = RawClient.handshake(server.port(), "/ws", "").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = FrameEncoder.clientFrame(Opcode.TEXT, "early".getBytes(StandardCharsets.UTF_8), 0x01020304);
            byte[] both = new byte[handshake.length + frame.length];
            System.arraycopy(handshake, 0, both, 0, handshake.length);
            System.arraycopy(frame, 0, both, handshake.length, frame.length);
            client.send(both); // one write: the frame arrives in the same segment as the request head

            assertThat(client.readResponseHead()).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"); // RFC 6455 section 1.3
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, "early".getBytes(StandardCharsets.UTF_8)));
            closeNormally(client);
        }
    }

    @Test
    void unmaskedClientFrameClosesWith1002() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.send(FrameEncoder.serverFrame(Opcode.TEXT, "unmasked".getBytes(StandardCharsets.UTF_8)));
            assertServerClosed(client, CloseStatus.PROTOCOL_ERROR, DisconnectReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void invalidUtf8ClosesWith1007() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(true, Opcode.TEXT, new byte[] {'o', 'k', (byte) 0xC3, 0x28}); // 0xC3 needs a continuation byte
            assertServerClosed(client, CloseStatus.INVALID_PAYLOAD, DisconnectReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void tooBigMessageClosesWith1009AndTheServerClosesTheSocket() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(true, Opcode.BINARY, new byte[MAX_MESSAGE_BYTES + 1]);
            assertServerClosed(client, CloseStatus.MESSAGE_TOO_BIG, DisconnectReason.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void tooBigFragmentedMessageClosesWith1009() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(false, Opcode.TEXT, "a".repeat(MAX_MESSAGE_BYTES).getBytes(StandardCharsets.UTF_8));
            client.sendFrame(true, Opcode.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
            assertServerClosed(client, CloseStatus.MESSAGE_TOO_BIG, DisconnectReason.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void invalidCloseCodeFromThePeerIsAProtocolError() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xED}); // 1005 must never be on the wire
            assertServerClosed(client, CloseStatus.PROTOCOL_ERROR, DisconnectReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void reservedOpcodeIsAProtocolError() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.send(java.util.HexFormat.of().parseHex("83" + "80" + "01020304")); // FIN, opcode 3, masked, empty
            assertServerClosed(client, CloseStatus.PROTOCOL_ERROR, DisconnectReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void echoesTheCloseCodeAndClosesTheSocket() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            closeNormally(client);
        }
    }

    @Test
    void answersACloseWithoutStatusWithAnEmptyClose() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(true, Opcode.CLOSE, new byte[0]);
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(CloseStatus.of(CloseStatus.NO_STATUS)));
            assertThat(client.readsEndOfStream()).isTrue();
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
        }
    }

    @Test
    void answersPingWithTheSamePayload() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendFrame(true, Opcode.PING, new byte[] {4, 5, 6});
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Pong(new byte[] {4, 5, 6}));
            closeNormally(client);
        }
    }

    @Test
    void cutsOffAPeerThatNeverAnswersTheClose() throws Exception {
        try (EchoServer impatient = EchoServer.start(WebSocketConfig.builder().closeTimeout(SHORT_CLOSE_TIMEOUT).build());
             RawClient client = RawClient.connect(impatient.port(), "/ws")) {
            client.sendText("close:IDLE_TIMEOUT");
            long sent = System.nanoTime();
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(new CloseStatus(1001, "idle timeout")));
            // We do not answer: the server waits its close timeout, then closes the socket.
            assertThat(client.readsEndOfStream()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(SHORT_CLOSE_TIMEOUT.minusMillis(50));
            assertThat(impatient.nextEnd()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
        }
    }

    @Test
    void messagesAfterTheServersCloseAreStillReadUntilThePeersClose() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendText("close:POLICY");
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(CloseStatus.of(1008)));
            client.sendText("late"); // sent before the client saw the close: read, but not echoed after our close
            client.send(FrameEncoder.clientFrame(Opcode.CLOSE, CloseStatus.of(1008).toPayload(), 3));
            assertThat(client.readsEndOfStream()).isTrue();
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.POLICY);
        }
    }

    /** The next frame is a close with {@code code}, then the server closes the socket; the session ended for {@code reason}. */
    private static void assertServerClosed(RawClient client, int code, DisconnectReason reason) throws Exception {
        ReadEvent event = client.readEvent();
        assertThat(event).isInstanceOf(ReadEvent.Close.class);
        assertThat(((ReadEvent.Close) event).status().code()).isEqualTo(code);
        assertThat(client.readsEndOfStream()).isTrue();
        assertThat(server.nextEnd()).isEqualTo(reason);
    }

    private static void closeNormally(RawClient client) throws Exception {
        client.send(FrameEncoder.clientFrame(Opcode.CLOSE, CloseStatus.of(1000).toPayload(), 7));
        ReadEvent echo = client.readEvent();
        assertThat(echo).isInstanceOf(ReadEvent.Close.class);
        assertThat(((ReadEvent.Close) echo).status().code()).isEqualTo(1000);
        assertThat(client.readsEndOfStream()).isTrue();
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
    }
}
