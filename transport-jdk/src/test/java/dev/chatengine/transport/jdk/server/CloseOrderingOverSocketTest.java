package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real sockets, through the engine: a close the server starts or answers goes out after what
 * the connection had already accepted, through the one writer. The Autobahn cases that tested it
 * (NON-STRICT before) are crafted here byte for byte: a valid message and a broken frame in one TCP
 * write, so that the read pump decodes the broken frame while the echo of the valid one is still
 * queued. Expected: the echo, then the close with the protocol error's code, then the end of stream.
 */
class CloseOrderingOverSocketTest {

    /** Echoes every message, as the Autobahn echo server does; "kick" queues three replies and closes with 4001. */
    static final class EchoHandler implements ClientHandler {
        private final Hub hub;

        EchoHandler(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void onText(Client client, Inbound.Text message) {
            if (message.text().equals("kick")) {
                for (int i = 1; i <= 3; i++) {
                    client.send(hub.encoder().text("reply " + i));
                }
                client.close(4001, "kicked");
                return;
            }
            client.send(hub.encoder().text(message.utf8()));
        }

        @Override
        public void onBinary(Client client, Inbound.Binary message) {
            client.send(hub.encoder().binary(message.data()));
        }
    }

    private Hub hub;
    private HubServer server;

    private void start(HubConfig config) throws Exception {
        hub = Hub.create(config, WebSocketMessageEncoder.INSTANCE);
        server = HubServer.start(hub, new EchoHandler(hub), 0,
                WebSocketConfig.builder().maxMessageBytes(1 << 20).build());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A masked client frame with any first byte (FIN, RSV bits, opcode) and a zero mask key, so the payload is as given. */
    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length <= 125) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        out.writeBytes(new byte[4]); // mask key 00 00 00 00
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final byte[] HELLO = frame(0x81, text("Hello, world!"));        // FIN, text
    private static final byte[] PING = frame(0x89, text("Hello, world!"));         // FIN, ping

    static Stream<Arguments> autobahnCases() {
        return Stream.of(
                Arguments.of("3.2 RSV=2 after a text message", concat(HELLO, frame(0x81 | 0x20, text("Hello, world!")), PING)),
                Arguments.of("3.3 RSV=3 after a text message", concat(HELLO, frame(0x81 | 0x30, text("Hello, world!")), PING)),
                Arguments.of("3.4 RSV=4 after a text message", concat(HELLO, frame(0x81 | 0x40, text("Hello, world!")), PING)),
                Arguments.of("4.1.3 reserved opcode 5 after a text message", concat(HELLO, frame(0x85, new byte[0]), PING)),
                Arguments.of("4.1.4 reserved opcode 6 with payload", concat(HELLO, frame(0x86, text("reserved opcode payload")), PING)),
                Arguments.of("4.1.5 reserved opcode 7 with payload", concat(HELLO, frame(0x87, text("reserved opcode payload")), PING)),
                Arguments.of("4.2.3 reserved control opcode 0xC", concat(HELLO, frame(0x8C, new byte[0]), PING)),
                Arguments.of("4.2.4 reserved control opcode 0xD with payload", concat(HELLO, frame(0x8D, text("reserved opcode payload")), PING)),
                Arguments.of("4.2.5 reserved control opcode 0xE with payload", concat(HELLO, frame(0x8E, text("reserved opcode payload")), PING)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autobahnCases")
    void theEchoOfTheValidMessageGoesOutBeforeTheProtocolErrorsClose(String name, byte[] oneWrite) throws Exception {
        start(HubConfig.defaults());
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.send(oneWrite);
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, text("Hello, world!")));
            ReadEvent close = client.readEvent();
            assertThat(close).isInstanceOf(ReadEvent.Close.class);
            assertThat(((ReadEvent.Close) close).status().code()).isEqualTo(CloseStatus.PROTOCOL_ERROR);
            assertThat(client.readsEndOfStream()).isTrue();
        }
    }

    @Test
    void autobahn5_15TheFragmentedMessageIsEchoedBeforeTheCloseForAStrayContinuation() throws Exception {
        start(HubConfig.defaults());
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.send(concat(
                    frame(0x01, text("fragment1")),   // text, not final
                    frame(0x80, text("fragment2")),   // continuation, final
                    frame(0x00, text("fragment3")),   // continuation with nothing to continue: 1002
                    frame(0x81, text("fragment4"))));
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, text("fragment1fragment2")));
            ReadEvent close = client.readEvent();
            assertThat(((ReadEvent.Close) close).status().code()).isEqualTo(CloseStatus.PROTOCOL_ERROR);
            assertThat(client.readsEndOfStream()).isTrue();
        }
    }

    @Test
    void autobahn7_1_6ABigMessageThenACloseThenAPingGetTheEchoThenTheCloseEcho() throws Exception {
        start(HubConfig.defaults());
        byte[] big = new byte[256 * 1024];
        Arrays.fill(big, (byte) '*');
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.send(concat(
                    FrameEncoder.clientFrame(Opcode.TEXT, big, 0x01020304),
                    FrameEncoder.clientFrame(Opcode.CLOSE, CloseStatus.of(1000).toPayload(), 0x01020304),
                    FrameEncoder.clientFrame(Opcode.PING, text("Hello, world!"), 0x01020304)));
            ReadEvent echo = client.readEvent();
            assertThat(echo).isInstanceOf(ReadEvent.Message.class);
            assertThat(((ReadEvent.Message) echo).payload()).isEqualTo(big);
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(CloseStatus.of(1000)));
            assertThat(client.readsEndOfStream()).isTrue();
        }
    }

    @Test
    void anApplicationCloseGoesOutWithItsExactCodeAfterTheRepliesQueuedBeforeIt() throws Exception {
        start(HubConfig.defaults());
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendText("kick");
            for (int i = 1; i <= 3; i++) {
                assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, text("reply " + i)));
            }
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(new CloseStatus(4001, "kicked")));
            client.send(FrameEncoder.clientFrame(Opcode.CLOSE, new CloseStatus(4001, "").toPayload(), 7));
            assertThat(client.readsEndOfStream()).isTrue();
        }
    }

    @Test
    void shutdownSends1001AfterWhatWasQueued() throws Exception {
        start(HubConfig.defaults());
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.sendText("before");
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, text("before")));
            Client served = hub.clients().iterator().next();
            for (int i = 0; i < 20; i++) {
                served.send(hub.encoder().text("queued " + i));
            }
            Thread shutdown = Thread.ofVirtual().start(() -> hub.shutdown(java.time.Duration.ofSeconds(10)));
            for (int i = 0; i < 20; i++) {
                assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, text("queued " + i)));
            }
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Close(new CloseStatus(1001, "going away")));
            client.send(FrameEncoder.clientFrame(Opcode.CLOSE, CloseStatus.of(1001).toPayload(), 7));
            assertThat(client.readsEndOfStream()).isTrue();
            shutdown.join();
            assertThat(served.closeReason()).isEqualTo(DisconnectReason.SHUTDOWN);
        }
    }
}
