package dev.chatengine.transport.jdk.server;

import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions hold their exchange's (virtual) thread for their lifetime, so many of them must not starve
 * plain requests: 500 open WebSockets, with plain GETs to another context answered while they are open,
 * and on a server left with its default executor, a session must not freeze the dispatcher.
 */
class ManySessionsTest {

    private static final int SESSIONS = 500;

    @Test
    void fiveHundredConcurrentSessionsBesidePlainGets() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<RawClient> clients = new ArrayList<>();
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults()); AutoCloseable ignored = http::shutdownNow) {
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    clients.add(RawClient.connect(server.port(), "/ws"));
                    if (i % 100 == 0) {
                        assertThat(get(http, server).body()).isEqualTo("hello");
                    }
                }
                server.awaitSessions(SESSIONS); // a session registers just after its 101 went out
                for (int i = 0; i < SESSIONS; i++) {
                    clients.get(i).sendText("n" + i);
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(get(http, server).statusCode()).isEqualTo(200);
                }
                for (int i = 0; i < SESSIONS; i++) {
                    assertThat(clients.get(i).readEvent())
                            .isEqualTo(new ReadEvent.Message(true, ("n" + i).getBytes(StandardCharsets.UTF_8)));
                }
                server.handler.closeAll(Duration.ofSeconds(20));
                for (RawClient client : clients) {
                    assertThat(client.readEvent()).isInstanceOf(ReadEvent.Close.class);
                }
                assertThat(ServerInternals.awaitExchangeCount(server.server, 0)).isZero();
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void sessionOnTheDefaultExecutorDoesNotFreezeTheServer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (EchoServer server = EchoServer.start(WebSocketConfig.defaults(), false);
             AutoCloseable ignored = http::shutdownNow;
             RawClient first = RawClient.connect(server.port(), "/ws");
             RawClient second = RawClient.connect(server.port(), "/ws")) {
            assertThat(get(http, server).body()).isEqualTo("hello");
            first.sendText("one");
            second.sendText("two");
            assertThat(second.readEvent()).isEqualTo(new ReadEvent.Message(true, "two".getBytes(StandardCharsets.UTF_8)));
            assertThat(first.readEvent()).isEqualTo(new ReadEvent.Message(true, "one".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static HttpResponse<String> get(HttpClient http, EchoServer server) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/plain"))
                .timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
