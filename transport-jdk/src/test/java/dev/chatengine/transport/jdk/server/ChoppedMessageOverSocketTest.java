package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autobahn 9.5/9.6 over a real socket: a 1 MiB message whose frame arrives in chops of 64 bytes
 * (each its own TCP segment: TCP_NODELAY and one write each) is read, reassembled and echoed intact.
 * A chop per read is the worst case for the read buffer's grow and shrink; no timing is asserted
 * (the note gives the measured times), only the bytes.
 */
class ChoppedMessageOverSocketTest {

    private static final int MESSAGE_BYTES = 1 << 20;

    private HubServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "1 MiB {0} message in chops of 64 bytes")
    @ValueSource(strings = {"binary", "text", "text, paced: about one read per chop"})
    void aMessageSentInTinyChopsIsEchoedIntact(String kind) throws Exception {
        Hub hub = Hub.create(HubConfig.builder().sendQueueBytes(8L << 20).build(), WebSocketMessageEncoder.INSTANCE);
        server = HubServer.start(hub, new CloseOrderingOverSocketTest.EchoHandler(hub), 0,
                WebSocketConfig.builder().maxMessageBytes(MESSAGE_BYTES).build());
        boolean text = kind.startsWith("text");
        boolean paced = kind.contains("paced");
        byte[] payload = new byte[MESSAGE_BYTES];
        Random random = new Random(0);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = text ? (byte) ('a' + random.nextInt(26)) : (byte) random.nextInt(256);
        }
        byte[] frame = FrameEncoder.clientFrame(text ? Opcode.TEXT : Opcode.BINARY, payload, 0x5a5a1234);
        try (RawClient client = RawClient.connect(server.port(), "/ws")) {
            client.socket.setTcpNoDelay(true);
            long started = System.nanoTime();
            for (int at = 0; at < frame.length; at += 64) {
                client.out.write(frame, at, Math.min(64, frame.length - at));
                client.out.flush();
                if (paced) { // as Autobahn's fuzzing client sends chops: one reactor turn each, so the server reads each alone
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
            ReadEvent echo = client.readEvent();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("ChoppedMessageOverSocketTest: 1 MiB " + kind + " in 64-byte chops echoed in " + millis + " ms");
            assertThat(echo).isInstanceOf(ReadEvent.Message.class);
            assertThat(((ReadEvent.Message) echo).text()).isEqualTo(text);
            assertThat(((ReadEvent.Message) echo).payload()).isEqualTo(payload);
        }
    }
}
