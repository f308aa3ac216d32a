package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine over real sockets through this transport: 200 clients in one room, one of which stops
 * reading. It must be dropped as a slow consumer (1008, or the connection cut) while the 199 others
 * receive every message, once, in order. The clients are a tiny hand-made WebSocket client (masked
 * frames out, a minimal frame reader in), independent of the project's codec.
 *
 * <p>Why it needs real sockets: only a real socket fills up (the slow client's receive buffer, then
 * the server's send buffer, about 2-3 MB on loopback here), blocks the write pump in a socket write,
 * and then has to be cut by the drop. Messages are 32 KiB so that about a hundred of them fill the
 * buffers; the sender paces itself on the healthy clients (at most {@link #WINDOW} messages ahead of
 * the slowest healthy reader), so that with a send queue of 16 only the client that stopped reading
 * can overflow.
 */
class HubOverWebSocketTest {

    private static final int CLIENTS = 200;
    private static final int SEND_QUEUE_CAPACITY = 16;
    private static final int WINDOW = 4;
    private static final int MESSAGE_BYTES = 32 * 1024;
    /** If the slow client is not dropped after this many messages (over 9 MB to it), something is wrong. */
    private static final int MAX_MESSAGES = 300;
    /** Messages sent after the drop, to show that the others go on. */
    private static final int MESSAGES_AFTER_DROP = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;

    private HubServer server;
    private Hub hub;
    private final List<TinyClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (TinyClient client : clients) {
            client.socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aClientThatStopsReadingIsDroppedAndTheOthersReceiveEveryMessageInOrder() throws Exception {
        // Write and pong timeouts far away: the drop must come from the full send queue.
        hub = Hub.create(HubConfig.builder().sendQueueCapacity(SEND_QUEUE_CAPACITY)
                .writeTimeout(Duration.ofMinutes(5)).pingPeriod(Duration.ofMinutes(4)).pongWait(Duration.ofMinutes(5))
                .build(), WebSocketMessageEncoder.INSTANCE);
        Map<String, DisconnectReason> closedByAddress = new ConcurrentHashMap<>();
        Room room = hub.room("all");
        ClientHandler handler = new ClientHandler() {
            @Override
            public void onOpen(Client client) {
                room.join(client);
            }

            @Override
            public void onText(Client client, Inbound.Text message) {
                room.broadcast(hub.encoder().text(message.utf8()));
            }

            @Override
            public void onClose(Client client, DisconnectReason reason) {
                closedByAddress.put(client.remoteAddress(), reason);
            }
        };
        server = HubServer.start(hub, handler, CLIENTS);
        int port = server.port();

        TinyClient slow = TinyClient.connect(port, 1024); // a tiny receive buffer; it never reads
        clients.add(slow);
        List<TinyClient> healthy = new ArrayList<>();
        for (int i = 1; i < CLIENTS; i++) {
            TinyClient client = TinyClient.connect(port, 0);
            clients.add(client);
            healthy.add(client);
            client.startReading();
        }
        awaitCondition("all " + CLIENTS + " clients in the room", () -> room.size() == CLIENTS);

        TinyClient sender = healthy.getFirst();
        int sent = 0;
        while (hub.metrics().dropped(DisconnectReason.SLOW_CONSUMER) == 0) {
            assertThat(sent).as("messages sent without the slow client being dropped").isLessThan(MAX_MESSAGES);
            sent = sendPaced(sender, healthy, sent);
        }
        for (int i = 0; i < MESSAGES_AFTER_DROP; i++) {
            sent = sendPaced(sender, healthy, sent);
        }
        int total = sent;
        awaitCondition("every healthy client received all " + total + " messages",
                () -> healthy.stream().allMatch(c -> c.received.get() >= total || c.failure != null));

        for (TinyClient client : healthy) {
            assertThat(client.failure).as("failure seen by " + client.localAddress()).isNull();
            assertThat(client.received.get()).as("messages received by " + client.localAddress()).isEqualTo(total);
        }
        String slowAddress = slow.localAddress();
        awaitCondition("the slow client's session ended", () -> closedByAddress.containsKey(slowAddress));
        assertThat(closedByAddress.get(slowAddress)).isEqualTo(DisconnectReason.SLOW_CONSUMER);
        assertThat(hub.metrics().dropped(DisconnectReason.SLOW_CONSUMER)).isEqualTo(1);
        assertThat(hub.metrics().droppedTotal()).isEqualTo(1);
        assertThat(closedByAddress).hasSize(1);
        assertThat(room.size()).isEqualTo(CLIENTS - 1);

        // The slow client now reads: what was in its buffers, then a 1008 close or the end of the connection.
        String ending = slow.readUntilEnd();
        assertThat(ending).as("how the slow client's connection ended").matches("close 1008|end of stream|reset");
        System.out.printf("slow client dropped after %d messages of %d bytes (%s); %d sent in all; %s%n",
                total - MESSAGES_AFTER_DROP, MESSAGE_BYTES, ending, total, hub.metrics());
    }

    /** Sends message {@code index} once the slowest healthy client is at most {@link #WINDOW} behind. */
    private static int sendPaced(TinyClient sender, List<TinyClient> healthy, int index) throws IOException {
        awaitCondition("healthy clients within " + WINDOW + " messages of " + index, () -> {
            for (TinyClient client : healthy) {
                if (client.received.get() < index - WINDOW && client.failure == null) {
                    return false;
                }
            }
            return true;
        });
        sender.sendText(TinyClient.message(index));
        return index + 1;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * A minimal WebSocket client: sends a handshake and masked text frames; a virtual thread reads
     * the server's frames (unmasked, RFC 6455 5.2) and checks that message n is the n-th to arrive.
     */
    private static final class TinyClient {
        private static final int MASK_KEY = 0x5a3c96e1;

        final Socket socket;
        final AtomicInteger received = new AtomicInteger();
        volatile String failure;
        private final DataInputStream in;
        private final OutputStream out;

        private TinyClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            this.out = socket.getOutputStream();
        }

        /** @param receiveBufferBytes SO_RCVBUF, set before connecting; 0 for the system's default */
        static TinyClient connect(int port, int receiveBufferBytes) throws IOException {
            Socket socket = new Socket();
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout((int) PATIENCE.toMillis());
            TinyClient client = new TinyClient(socket);
            client.out.write(RawClient.handshake(port, "/ws", "").getBytes(StandardCharsets.ISO_8859_1));
            client.out.flush();
            client.readResponseHead();
            return client;
        }

        static byte[] message(int index) {
            byte[] payload = new byte[MESSAGE_BYTES];
            java.util.Arrays.fill(payload, (byte) 'x');
            byte[] prefix = (index + ":").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(prefix, 0, payload, 0, prefix.length);
            return payload;
        }

        String localAddress() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void readResponseHead() throws IOException {
            int matched = 0;
            StringBuilder head = new StringBuilder();
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("end of stream in the response head: " + head);
                }
                head.append((char) b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("expected 101, got: " + head);
            }
        }

        /** One masked text frame (RFC 6455 5.2, 5.3). */
        synchronized void sendText(byte[] payload) throws IOException {
            int length = payload.length;
            byte[] frame = new byte[2 + 8 + 4 + length];
            int at = 0;
            frame[at++] = (byte) (0x80 | OPCODE_TEXT);
            if (length <= 125) {
                frame[at++] = (byte) (0x80 | length);
            } else if (length <= 0xFFFF) {
                frame[at++] = (byte) (0x80 | 126);
                frame[at++] = (byte) (length >>> 8);
                frame[at++] = (byte) length;
            } else {
                frame[at++] = (byte) (0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame[at++] = (byte) ((long) length >>> shift);
                }
            }
            byte[] mask = {(byte) (MASK_KEY >>> 24), (byte) (MASK_KEY >>> 16), (byte) (MASK_KEY >>> 8), (byte) MASK_KEY};
            System.arraycopy(mask, 0, frame, at, 4);
            at += 4;
            for (int i = 0; i < length; i++) {
                frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            out.write(frame, 0, at + length);
            out.flush();
        }

        void startReading() {
            Thread.ofVirtual().name("tiny-client-reader").start(() -> {
                try {
                    byte[] payload = new byte[MESSAGE_BYTES];
                    while (true) {
                        int opcode = readFrameInto(payload);
                        if (opcode == OPCODE_PING) {
                            continue; // the server's pings are not expected here; ignore them
                        }
                        if (opcode != OPCODE_TEXT) {
                            failure = "unexpected frame, opcode " + opcode;
                            return;
                        }
                        int expected = received.get();
                        String prefix = new String(payload, 0, 12, StandardCharsets.US_ASCII);
                        if (!prefix.startsWith(expected + ":")) {
                            failure = "expected message " + expected + ", got one starting " + prefix;
                            return;
                        }
                        received.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        failure = "read failed: " + e;
                    }
                }
            });
        }

        /** Reads one frame; a text frame's payload must be {@link #MESSAGE_BYTES} long and goes to {@code into}. */
        private int readFrameInto(byte[] into) throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
                throw new IOException("expected a final, unmasked frame: " + Integer.toHexString(b0) + " " + Integer.toHexString(b1));
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            int opcode = b0 & 0x0F;
            if (opcode == OPCODE_TEXT) {
                if (length != into.length) {
                    throw new IOException("text frame of " + length + " bytes, expected " + into.length);
                }
                in.readFully(into);
            } else {
                in.skipNBytes(length);
            }
            return opcode;
        }

        /** For the slow client, at last: reads everything and says how the connection ended. */
        String readUntilEnd() throws IOException {
            byte[] payload = new byte[MESSAGE_BYTES];
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long length = b1 & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    if ((b0 & 0x0F) == OPCODE_CLOSE) {
                        int code = length >= 2 ? in.readUnsignedShort() : 1005;
                        return "close " + code;
                    }
                    in.readFully(payload, 0, (int) Math.min(length, payload.length));
                }
            } catch (EOFException e) {
                return "end of stream";
            } catch (SocketException e) {
                return "reset";
            }
        }
    }
}
