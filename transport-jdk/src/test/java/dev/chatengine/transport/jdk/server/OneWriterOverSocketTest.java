package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real sockets: the write pump is the only writer, so that control traffic can neither stall
 * the read pump nor wait behind a long queue, and a dropped client still gets its 1008 when its
 * socket can take it. Only real sockets fill up and block a writer, which is what these are about.
 */
class OneWriterOverSocketTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Every text message goes to everyone in room "all" (the raw endpoint's behaviour). */
    static final class Broadcast implements ClientHandler {
        private final Hub hub;

        Broadcast(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void onOpen(Client client) {
            hub.room("all").join(client);
        }

        @Override
        public void onText(Client client, Inbound.Text message) {
            hub.room("all").broadcast(hub.encoder().text(message.utf8()));
        }
    }

    private Hub hub;
    private HubServer server;

    private void start(HubConfig config) throws Exception {
        hub = Hub.create(config, WebSocketMessageEncoder.INSTANCE);
        server = HubServer.start(hub, new Broadcast(hub), 0);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private Client serverSideOf(int clientsBefore) throws InterruptedException {
        await("the client registered", () -> hub.clients().size() > clientsBefore);
        return hub.clients().stream().max(java.util.Comparator.comparingLong(Client::id)).orElseThrow();
    }

    @Test
    void aClientFloodingPingsAndNeverReadingDoesNotStallItsReadPump() throws Exception {
        start(HubConfig.defaults());
        try (RawClient reader = RawClient.connect(server.port(), "/ws");
             RawClient flooder = RawClient.connectWithReceiveBuffer(server.port(), "/ws", 4096)) {
            await("both in the room", () -> hub.room("all").size() == 2);
            byte[] payload = new byte[125];
            Arrays.fill(payload, (byte) 'p');
            byte[] ping = FrameEncoder.clientFrame(Opcode.PING, payload, 0x11223344);
            // 40,000 pongs are 5 MB, more than the flooder's and the server's socket buffers hold: an
            // answer written by the read pump would block it for good (nobody bounds that write).
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 1_000; i++) {
                burst.writeBytes(ping);
            }
            byte[] thousandPings = burst.toByteArray();
            for (int i = 0; i < 40; i++) {
                flooder.send(thousandPings);
            }
            flooder.sendText("after the flood");

            assertThat(reader.readEvent()).as("the flooder's message after its pings was read and broadcast")
                    .isEqualTo(new ReadEvent.Message(true, "after the flood".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aPongGoesOutAheadOfMessagesAlreadyQueued() throws Exception {
        start(HubConfig.builder().sendQueueCapacity(1_000).sendQueueBytes(64L << 20).writeTimeout(Duration.ofMinutes(1)).build());
        int messages = 400;
        byte[] body = new byte[32 * 1024];
        Arrays.fill(body, (byte) 'm');
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), "/ws", 4096)) {
            Client served = serverSideOf(0);
            Room room = hub.room("all");
            await("in the room", () -> room.size() == 1);
            for (int i = 0; i < messages; i++) {
                byte[] text = body.clone();
                byte[] number = String.format("%05d", i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(number, 0, text, 0, number.length);
                room.broadcast(hub.encoder().text(text));
            }
            // 12.8 MB to a client that does not read: the socket buffers fill and the rest waits in the queue.
            await("messages waiting in the send queue", () -> served.queuedMessages() > 100);
            client.send(FrameEncoder.clientFrame(Opcode.PING, "urgent".getBytes(StandardCharsets.UTF_8), 5));

            List<String> seen = new ArrayList<>();
            while (seen.size() < messages + 1) {
                switch (client.readEvent()) {
                    case ReadEvent.Message m -> seen.add(new String(m.payload(), 0, 5, StandardCharsets.US_ASCII));
                    case ReadEvent.Pong p -> seen.add("PONG");
                    case ReadEvent event -> throw new AssertionError("unexpected " + event);
                }
            }
            int pongAt = seen.indexOf("PONG");
            assertThat(pongAt).as("the pong arrived").isNotNegative();
            assertThat(messages - pongAt).as("messages that were queued before the ping and came after its pong")
                    .isGreaterThan(64); // more than one batch: it overtook the queue
            assertThat(seen.stream().filter(s -> !s.equals("PONG")).toList())
                    .as("every message once, in order").isEqualTo(java.util.stream.IntStream.range(0, messages)
                            .mapToObj(i -> String.format("%05d", i)).toList());
        }
    }

    @Test
    void aSlowReaderDroppedAsASlowConsumerReadsItsPolicyCloseBeforeTheEnd() throws Exception {
        start(HubConfig.builder().sendQueueCapacity(16).build());
        try (RawClient slow = RawClient.connectWithReceiveBuffer(server.port(), "/ws", 4096)) {
            Client served = serverSideOf(0);
            Room room = hub.room("all");
            await("in the room", () -> room.size() == 1);
            byte[] body = new byte[16 * 1024];
            Arrays.fill(body, (byte) 's');
            EncodedMessage message = hub.encoder().text(body);
            Thread sender = Thread.ofVirtual().start(() -> {
                while (served.isOpen()) {
                    room.broadcast(message);
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            // Reads, but slowly (a few KB at a time with pauses), until the server's close frame.
            ReadEvent event;
            do {
                event = slow.readEvent();
                if (served.isOpen()) {
                    Thread.sleep(2);
                }
            } while (event instanceof ReadEvent.Message);
            sender.join();
            assertThat(event).isEqualTo(new ReadEvent.Close(new CloseStatus(1008, "slow consumer")));
            assertThat(slow.readsEndOfStream()).as("then the cut").isTrue();
            assertThat(served.closeReason()).isEqualTo(DisconnectReason.SLOW_CONSUMER);
        }
    }
}
