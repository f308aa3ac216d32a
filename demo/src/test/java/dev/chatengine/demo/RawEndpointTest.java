package dev.chatengine.demo;

import dev.chatengine.engine.Client;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /ws/raw} over real sockets: binary forwarded as binary, and sender-side flow control against a flooder. */
class RawEndpointTest {

    private DemoServer server;

    @BeforeEach
    void start() throws IOException {
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private void awaitMembers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WebSocketTestClient.DEFAULT_WAIT.toNanos();
        while (server.rawHub().room(RawBroadcastHandler.ROOM).size() != count) {
            assertThat(System.nanoTime()).as("members joined").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aBinaryMessageIsForwardedAsBinaryToEveryClient() throws Exception {
        try (WebSocketTestClient a = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"));
             WebSocketTestClient b = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"))) {
            awaitMembers(2);
            byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
            a.sendBinary(data);
            assertThat(b.nextBinary()).isEqualTo(data);
            assertThat(a.nextBinary()).isEqualTo(data);
            a.send("and text as text");
            assertThat(b.next()).isEqualTo("and text as text");
            assertThat(b.isClosed()).isFalse();
        }
    }

    @Test
    void aClientFloodingAsFastAsItCanDoesNotGetHealthyReadersDropped() throws Exception {
        int readers = 10;
        int messages = 3_000;
        List<WebSocketTestClient> healthy = new ArrayList<>();
        try (WebSocketTestClient flooder = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"))) {
            for (int i = 0; i < readers; i++) {
                healthy.add(WebSocketTestClient.connect(server.webSocketUri("/ws/raw")));
            }
            awaitMembers(readers + 1);
            String padding = "x".repeat(500);
            Thread flood = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < messages; i++) {
                    flooder.send(i + " " + padding);
                }
            });
            for (WebSocketTestClient reader : healthy) {
                for (int i = 0; i < messages; i++) {
                    assertThat(reader.next()).as("message %d, once, in order", i).isEqualTo(i + " " + padding);
                }
            }
            flood.join();
            assertThat(server.rawHub().metrics().droppedTotal()).as("nobody dropped").isZero();
            for (WebSocketTestClient reader : healthy) {
                assertThat(reader.isClosed()).isFalse();
            }
        } finally {
            healthy.forEach(WebSocketTestClient::close);
        }
    }
}
