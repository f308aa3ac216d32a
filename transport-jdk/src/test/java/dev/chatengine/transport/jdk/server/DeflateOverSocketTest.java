package dev.chatengine.transport.jdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import dev.chatengine.transport.jdk.protocol.DeflateParameters;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate over real sockets: the handshake's answer, compressed messages both ways,
 * the RSV1 rules and the inflate bomb answered with their close codes, and a broadcast compressed
 * once for every recipient.
 */
class DeflateOverSocketTest {
    private static final String CHROMIUM_OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static final String DEFAULT_ANSWER =
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n";
    private static final String CHAT = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\","
            + "\"text\":\"hello everyone, the deflate extension is on\",\"id\":\"m-1\",\"ts\":1764690000000}";

    @Test
    void handshakeAnswersTheOffer() throws IOException {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults())) {
            assertThat(answer(server, CHROMIUM_OFFER)).contains(DEFAULT_ANSWER);
            assertThat(answer(server, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n"))
                    .contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                            + "client_no_context_takeover; server_max_window_bits=10\r\n");
            assertThat(answer(server, "")).doesNotContain("Sec-WebSocket-Extensions");
            assertThat(answer(server, "Sec-WebSocket-Extensions: permessage-deflate;\r\n")) // malformed: no extension
                    .startsWith("HTTP/1.1 101").doesNotContain("Sec-WebSocket-Extensions");
            assertThat(answer(server, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7\r\n"))
                    .doesNotContain("Sec-WebSocket-Extensions");
        }
        try (EchoServer off = EchoServer.start(WebSocketConfig.builder().deflate(DeflateConfig.disabled()).build())) {
            assertThat(answer(off, CHROMIUM_OFFER)).doesNotContain("Sec-WebSocket-Extensions");
        }
    }

    private static String answer(EchoServer server, String extraHeaders) throws IOException {
        try (RawClient client = RawClient.open(server.port())) {
            client.send(RawClient.handshake(server.port(), "/ws", extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
            return client.readResponseHead();
        }
    }

    @Test
    void compressedMessagesBothWays() throws Exception {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             DeflateClient client = DeflateClient.connect(server.port())) {
            client.sendCompressed(Opcode.TEXT, CHAT);
            byte[] echo = client.readFrame();
            assertThat(echo[0]).as("FIN, RSV1, text").isEqualTo((byte) 0xC1);
            assertThat(echo.length).isLessThan(CHAT.length());
            assertThat(client.decode(echo)).isEqualTo(new ReadEvent.Message(true, CHAT.getBytes(StandardCharsets.UTF_8)));

            client.raw.sendText("short, plain"); // below the threshold both ways: no RSV1
            byte[] plain = client.readFrame();
            assertThat(plain[0]).isEqualTo((byte) 0x81);
            assertThat(client.decode(plain)).isEqualTo(new ReadEvent.Message(true, "short, plain".getBytes(StandardCharsets.UTF_8)));

            // A compressed message in three fragments, a ping between them.
            byte[] compressed = DeflateClient.deflate(CHAT.getBytes(StandardCharsets.UTF_8));
            int third = compressed.length / 3;
            client.raw.send(FrameEncoder.frame(false, true, Opcode.TEXT, Arrays.copyOf(compressed, third), true, 11));
            client.raw.send(FrameEncoder.clientFrame(Opcode.PING, new byte[] {1}, 12));
            client.raw.send(FrameEncoder.frame(false, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, third, 2 * third), true, 13));
            client.raw.send(FrameEncoder.frame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(compressed, 2 * third, compressed.length), true, 14));
            assertThat(client.decode(client.readFrame())).isEqualTo(new ReadEvent.Pong(new byte[] {1}));
            assertThat(client.decode(client.readFrame())).isEqualTo(new ReadEvent.Message(true, CHAT.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void compressedControlFrameIsClosedWith1002() throws Exception {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             DeflateClient client = DeflateClient.connect(server.port())) {
            byte[] ping = FrameEncoder.clientFrame(Opcode.PING, new byte[0], 5);
            ping[0] |= 0x40;
            client.raw.send(ping);
            assertThat(client.decode(client.readFrame())).isEqualTo(new ReadEvent.Close(
                    new CloseStatus(CloseStatus.PROTOCOL_ERROR, "Control frames MUST NOT be compressed (RFC 7692 section 6.1)")));
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void rsv1OnAContinuationIsClosedWith1002() throws Exception {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults());
             DeflateClient client = DeflateClient.connect(server.port())) {
            byte[] compressed = DeflateClient.deflate(CHAT.getBytes(StandardCharsets.UTF_8));
            client.raw.send(FrameEncoder.frame(false, true, Opcode.TEXT, Arrays.copyOf(compressed, 5), true, 1));
            byte[] continuation = FrameEncoder.frame(true, false, Opcode.CONTINUATION,
                    Arrays.copyOfRange(compressed, 5, compressed.length), true, 2);
            continuation[0] |= 0x40;
            client.raw.send(continuation);
            assertThat(((ReadEvent.Close) client.decode(client.readFrame())).status().code()).isEqualTo(CloseStatus.PROTOCOL_ERROR);
        }
    }

    @Test
    void inflateBombIsClosedWith1009() throws Exception {
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults()); // 64 KiB messages
             DeflateClient client = DeflateClient.connect(server.port())) {
            byte[] bomb = DeflateClient.deflate(new byte[16 * 1024 * 1024]);
            assertThat(bomb.length).isLessThan(20 * 1024);
            client.raw.send(FrameEncoder.frame(true, true, Opcode.BINARY, bomb, true, 3));
            assertThat(((ReadEvent.Close) client.decode(client.readFrame())).status().code()).isEqualTo(CloseStatus.MESSAGE_TOO_BIG);
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void aBroadcastIsCompressedOnceForEveryRecipient() throws Exception {
        WebSocketMessageEncoder encoder = WebSocketMessageEncoder.create(WebSocketMessageEncoder.DEFAULT_COMPRESSION_LEVEL);
        Hub hub = Hub.create(HubConfig.defaults(), encoder);
        ClientHandler handler = new ClientHandler() {
            @Override
            public void onOpen(Client client) {
                hub.join("room", client);
            }

            @Override
            public void onText(Client client, Inbound.Text message) {
                hub.broadcast("room", hub.encoder().text(message.utf8()));
            }
        };
        int recipients = 25;
        List<DeflateClient> clients = new ArrayList<>();
        try (HubServer server = HubServer.start(hub, handler, 64)) {
            for (int i = 0; i < recipients; i++) {
                clients.add(DeflateClient.connect(server.port()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (hub.room("room").size() < recipients) {
                assertThat(System.nanoTime()).as("all clients in the room").isLessThan(deadline);
                Thread.sleep(10);
            }
            clients.getFirst().sendCompressed(Opcode.TEXT, CHAT);
            List<byte[]> received = new ArrayList<>();
            for (DeflateClient client : clients) {
                byte[] frame = client.readFrame();
                received.add(frame);
                assertThat(client.decode(frame)).isEqualTo(new ReadEvent.Message(true, CHAT.getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(received.getFirst()[0]).isEqualTo((byte) 0xC1);
            assertThat(received).allSatisfy(frame -> assertThat(frame).isEqualTo(received.getFirst()));
            assertThat(encoder.compressions()).as("compressions for " + recipients + " recipients").isEqualTo(1);
        } finally {
            for (DeflateClient client : clients) {
                client.close();
            }
        }
    }

    /** A raw client that offered permessage-deflate the way Chromium does and reads whole frames. */
    static final class DeflateClient implements AutoCloseable {
        final RawClient raw;
        private final WebSocketDecoder decoder = new WebSocketDecoder(Role.CLIENT, 1 << 20,
                Optional.of(DeflateParameters.noContextTakeover()));

        private DeflateClient(RawClient raw) {
            this.raw = raw;
        }

        static DeflateClient connect(int port) throws IOException {
            RawClient raw = RawClient.open(port);
            raw.send(RawClient.handshake(port, "/ws", CHROMIUM_OFFER).getBytes(StandardCharsets.ISO_8859_1));
            String head = raw.readResponseHead();
            assertThat(head).startsWith("HTTP/1.1 101").contains(DEFAULT_ANSWER);
            return new DeflateClient(raw);
        }

        static byte[] deflate(byte[] data) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
            deflater.end();
            byte[] all = out.toByteArray();
            return Arrays.copyOf(all, all.length - 4); // strip 00 00 ff ff
        }

        void sendCompressed(Opcode opcode, String text) throws IOException {
            raw.send(FrameEncoder.frame(true, true, opcode, deflate(text.getBytes(StandardCharsets.UTF_8)), true, 0x1234));
        }

        /** One whole server frame, header and payload, as it came. */
        byte[] readFrame() throws IOException {
            byte[] head = raw.in.readNBytes(2);
            int length7 = head.length == 2 ? head[1] & 0x7F : 0;
            byte[] extended = raw.in.readNBytes(length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
            long length = length7;
            if (extended.length > 0) {
                length = 0;
                for (byte b : extended) {
                    length = (length << 8) | (b & 0xFF);
                }
            }
            byte[] payload = raw.in.readNBytes((int) length);
            if (head.length < 2 || payload.length < length) {
                throw new IOException("end of stream inside a frame");
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes(head);
            frame.writeBytes(extended);
            frame.writeBytes(payload);
            return frame.toByteArray();
        }

        ReadEvent decode(byte[] frame) throws ProtocolException {
            ReadEvent event = decoder.next(ByteBuffer.wrap(frame));
            assertThat(event).as("one whole event per frame").isNotNull();
            return event;
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
