package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.WebSocketTestClient;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ChatServer}: one object from start to a graceful close, on its own HTTP server or on the caller's. */
class ChatServerTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Echoes each text back to its sender. */
    private static final class Echo implements ClientHandler {
        @Override
        public void onText(Client client, Inbound.Text text) {
            client.send(WebSocketHandler.messageEncoder().text(text.text()));
        }
    }

    @Test
    void servesChatAndClosesEveryClientWith1001() throws IOException {
        ChatServer server = ChatServer.builder().address(LOOPBACK)
                .endpoint("/ws", ChatService::new)
                .start();
        int port = server.port();
        try (ChatTestClient alice = ChatTestClient.connect(server.uri("/ws"));
             ChatTestClient bob = ChatTestClient.connect(server.uri("/ws"))) {
            assertThat(server.uri("/ws")).isEqualTo(URI.create("ws://127.0.0.1:" + port + "/ws"));
            assertThat(server.handler("/ws", ChatService.class)).isInstanceOf(ChatService.class);
            assertThatThrownBy(() -> server.handler("/nope", ChatService.class)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.handler("/ws", Echo.class)).isInstanceOf(IllegalArgumentException.class);
            alice.login("alice");
            bob.login("bob");
            alice.next("presence");
            alice.say("lobby", "hi bob");
            assertThat(bob.next("message").string("text")).isEqualTo("hi bob");
            assertThat(server.hub().metrics().connections()).isEqualTo(2);

            server.close();

            assertThat(alice.socket().awaitClose()).isEqualTo(new WebSocketTestClient.Closed(1001, "going away"));
            assertThat(bob.socket().awaitClose()).isEqualTo(new WebSocketTestClient.Closed(1001, "going away"));
            assertThat(server.hub().isShutdown()).isTrue();
            assertThat(server.hub().clients()).isEmpty();
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("the listener is closed").isInstanceOf(ConnectException.class);
        server.close(); // idempotent
    }

    @Test
    void aClientThatNeverAnswersTheCloseIsCutWithinTheCloseTimeout() throws Exception {
        ChatServer server = ChatServer.builder().address(LOOPBACK).closeTimeout(Duration.ofMillis(300))
                .endpoint("/echo", hub -> new Echo())
                .start();
        try (RawClient deaf = RawClient.connect(server.port(), "/echo")) {
            deaf.sendText("ping?");
            assertThat(deaf.readEvent()).isNotNull(); // served: the echo came back
            server.close(); // the deaf client reads nothing more and never answers the 1001
            assertThat(server.hub().clients()).isEmpty();
            ReadEvent event = deaf.readEvent();
            while (!(event instanceof ReadEvent.Close close)) {
                event = deaf.readEvent(); // pings, if any
            }
            assertThat(close.status().code()).isEqualTo(1001);
            assertThat(deaf.readsEndOfStream()).as("cut after the close timeout").isTrue();
        }
    }

    @Test
    void onTheCallersServerItAddsItsEndpointAndRemovesItOnClose() throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer http = HttpServer.create(LOOPBACK, 0);
        http.setExecutor(executor);
        http.createContext("/hello", exchange -> {
            byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        HttpClient httpClient = HttpClient.newHttpClient();
        try {
            ChatServer server = ChatServer.builder().httpServer(http).endpoint("/echo", hub -> new Echo()).start();
            try (WebSocketTestClient ws = WebSocketTestClient.connect(server.uri("/echo"))) {
                ws.send("one");
                assertThat(ws.next()).isEqualTo("one");
                assertThat(WebSocketTestClient.builder(server.uri("/echo/deeper")).handshakeStatus())
                        .as("only the exact path").isEqualTo(404);
                server.close();
                assertThat(ws.awaitClose().code()).isEqualTo(1001);
            }
            URI base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
            assertThat(WebSocketTestClient.builder(server.uri("/echo")).handshakeStatus()).isEqualTo(404);
            HttpResponse<String> hello = httpClient.send(HttpRequest.newBuilder(base.resolve("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.body()).as("the caller's server and context live on").isEqualTo("hello\n");
        } finally {
            httpClient.shutdownNow();
            http.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void theCloseTimeoutIsSetInOnePlace() {
        assertThatThrownBy(() -> ChatServer.builder().endpoint("/ws", hub -> new Echo())
                .hub(hub -> hub.closeTimeout(Duration.ofSeconds(1))).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChatServer.Builder.closeTimeout");
        assertThatThrownBy(() -> ChatServer.builder().endpoint("/ws", hub -> new Echo())
                .webSocket(ws -> ws.closeTimeout(Duration.ofSeconds(1))).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChatServer.Builder.closeTimeout");
        assertThatThrownBy(() -> ChatServer.builder().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no endpoint");
        assertThatThrownBy(() -> ChatServer.builder().endpoint("ws", hub -> new Echo()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBusyPortFailsAtStartWithNothingLeftRunning() throws IOException {
        try (ChatServer first = ChatServer.builder().address(LOOPBACK).endpoint("/ws", hub -> new Echo()).start()) {
            InetSocketAddress taken = first.address();
            assertThatThrownBy(() -> ChatServer.builder().address(taken).endpoint("/ws", hub -> new Echo()).start())
                    .isInstanceOf(java.net.BindException.class);
        }
    }
}
