package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.AttributeKey;
import dev.chatengine.engine.Attributes;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link HandshakeHook} over real sockets: each rejection is the HTTP answer instead of a 101;
 * an accept's principal and attributes reach the engine's {@link Client}; the hook runs after the
 * protocol checks and the origin policy, and sees the request and the chosen subprotocol.
 */
class HandshakeHookTest {

    record User(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    private static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
    private static final AttributeKey<Integer> LEVEL = AttributeKey.of("level", Integer.class);

    private final BlockingQueue<HandshakeRequest> seen = new LinkedBlockingQueue<>();
    private final BlockingQueue<Client> opened = new LinkedBlockingQueue<>();
    private final AtomicReference<HandshakeHook> hook = new AtomicReference<>();
    private ExecutorService executor;
    private HttpServer http;
    private Hub hub;
    private WebSocketHandler handler;

    @BeforeEach
    void start() throws IOException {
        hub = Hub.create(HubConfig.defaults(), WebSocketMessageEncoder.INSTANCE);
        ClientHandler recording = new ClientHandler() {
            @Override
            public void onOpen(Client client) {
                opened.add(client);
            }

            @Override
            public void onText(Client client, Inbound.Text text) {
            }
        };
        WebSocketConfig config = WebSocketConfig.builder()
                .originPolicy(OriginPolicy.sameHostOrAllowlist(Set.of()))
                .subprotocolSelector(SubprotocolSelector.preferring(List.of("chat.v1")))
                .handshakeHook(request -> {
                    seen.add(request);
                    return hook.get().onHandshake(request);
                })
                .build();
        handler = WebSocketHandler.create(config, connection -> hub.serve(connection, recording));
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(executor);
        http.createContext("/ws", handler);
        http.start();
    }

    @AfterEach
    void stop() {
        hub.shutdown(Duration.ofSeconds(2));
        handler.closeAll(Duration.ofSeconds(1));
        http.stop(0);
        executor.shutdownNow();
    }

    /** A status line, headers and body as the server sent them on a fresh socket. */
    record Response(String head, String body) {
    }

    private Response exchange(String path, String extraHeaders) throws IOException {
        try (RawClient client = RawClient.open(http.getAddress().getPort())) {
            client.send(RawClient.handshake(http.getAddress().getPort(), path, extraHeaders)
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = client.readResponseHead();
            if (head.startsWith("HTTP/1.1 101")) {
                return new Response(head, "");
            }
            int length = Integer.parseInt(head.lines()
                    .filter(line -> line.toLowerCase().startsWith("content-length:"))
                    .findFirst().orElseThrow(() -> new AssertionError("no Content-Length in " + head))
                    .substring("content-length:".length()).trim());
            return new Response(head, new String(client.in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {401, 403, 429, 503})
    void aRejectionIsTheHttpAnswerInsteadOfA101(int status) throws Exception {
        hook.set(request -> switch (status) {
            case 401 -> HandshakeDecision.unauthorized("Bearer realm=\"chat\"", "token required");
            case 429 -> HandshakeDecision.reject(429, "slow down", Map.of("Retry-After", "30"));
            default -> HandshakeDecision.reject(status, "refused with " + status);
        });

        Response response = exchange("/ws?token=nope", "");

        assertThat(response.head()).startsWith("HTTP/1.1 " + status + " ")
                .doesNotContain("101")
                .containsIgnoringCase("Content-Type: text/plain; charset=utf-8")
                .doesNotContainIgnoringCase("Sec-WebSocket-Accept");
        switch (status) {
            case 401 -> {
                assertThat(response.head()).containsIgnoringCase("WWW-Authenticate: Bearer realm=\"chat\"\r\n");
                assertThat(response.body()).isEqualTo("token required\n");
            }
            case 429 -> {
                assertThat(response.head()).containsIgnoringCase("Retry-After: 30\r\n");
                assertThat(response.body()).isEqualTo("slow down\n");
            }
            default -> assertThat(response.body()).isEqualTo("refused with " + status + "\n");
        }
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(handler.openSessions()).isZero();
        assertThat(hub.metrics().connectionsTotal()).isZero();
    }

    @Test
    void aHookThatThrowsOrAnswersNullGets500WithoutItsMessage() throws Exception {
        hook.set(request -> {
            throw new IOException("database password is hunter2");
        });
        Response thrown = exchange("/ws", "");
        assertThat(thrown.head()).startsWith("HTTP/1.1 500 ");
        assertThat(thrown.body()).isEqualTo("handshake check failed\n");

        hook.set(request -> null);
        assertThat(exchange("/ws", "").head()).startsWith("HTTP/1.1 500 ");
        assertThat(hub.metrics().connectionsTotal()).isZero();
    }

    @Test
    void theAcceptedPrincipalAndAttributesReachTheClient() throws Exception {
        hook.set(request -> request.queryParameter("token")
                .filter("s3cret alice"::equals)
                .<HandshakeDecision>map(token -> HandshakeDecision.accept(new User("alice"),
                        Attributes.of(TENANT, "acme").with(LEVEL, 7)))
                .orElseGet(() -> HandshakeDecision.unauthorized("Bearer", "bad token")));

        assertThat(exchange("/ws?token=wrong", "").head()).startsWith("HTTP/1.1 401 ");
        try (RawClient socket = RawClient.connect(http.getAddress().getPort(), "/ws?x=1&token=s3cret+alice")) {
            Client client = opened.poll(10, TimeUnit.SECONDS);
            assertThat(client).isNotNull();
            assertThat(client.principal()).contains(new User("alice"));
            assertThat(client.attribute(TENANT)).contains("acme");
            assertThat(client.attribute(LEVEL)).contains(7);
            assertThat(client.attribute(AttributeKey.of("tenant", String.class)))
                    .as("keys compare by identity").isEmpty();
            assertThat(client.attributes().keys()).containsExactlyInAnyOrder(TENANT, LEVEL);
        }
    }

    @Test
    void anAnonymousAcceptGivesAClientWithoutPrincipal() throws Exception {
        hook.set(HandshakeHook.acceptAll());
        try (RawClient socket = RawClient.connect(http.getAddress().getPort(), "/ws")) {
            Client client = opened.poll(10, TimeUnit.SECONDS);
            assertThat(client).isNotNull();
            assertThat(client.principal()).isEmpty();
            assertThat(client.attributes().isEmpty()).isTrue();
        }
    }

    @Test
    void theHookSeesTheRequestAndTheChosenSubprotocol() throws Exception {
        hook.set(HandshakeHook.acceptAll());
        try (RawClient socket = RawClient.connect(http.getAddress().getPort(), "/ws?room=l%C3%B6bby",
                "Sec-WebSocket-Protocol: other, chat.v1\r\nAuthorization: Bearer abc\r\n")) {
            HandshakeRequest request = seen.poll(10, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.uri().getPath()).isEqualTo("/ws");
            assertThat(request.queryParameter("room")).contains("löbby");
            assertThat(request.queryParameter("missing")).isEmpty();
            assertThat(request.header("authorization")).contains("Bearer abc");
            assertThat(request.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(request.sslSession()).isEmpty();
            assertThat(request.isSecure()).isFalse();
            assertThat(request.subprotocol()).contains("chat.v1");
        }
    }

    @Test
    void theHookRunsOnlyAfterTheProtocolChecksAndTheOriginPolicy() throws Exception {
        hook.set(request -> HandshakeDecision.reject(418 + 100, "hook ran"));

        assertThat(exchange("/ws", "Origin: https://evil.example\r\n").head()).startsWith("HTTP/1.1 403 ");
        String missingKey = RawClient.handshake(http.getAddress().getPort(), "/ws", "")
                .replace("Sec-WebSocket-Key: " + RawClient.KEY + "\r\n", "");
        try (RawClient client = RawClient.open(http.getAddress().getPort())) {
            client.send(missingKey.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readResponseHead()).startsWith("HTTP/1.1 400 ");
        }
        assertThat(seen).as("requests the hook saw").isEmpty();
        assertThat(exchange("/ws", "").head()).startsWith("HTTP/1.1 518 ");
    }

    @Test
    void rejectionsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakeDecision.reject(200, "ok"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakeDecision.reject(101, "switch"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakeDecision.reject(403, "x".repeat(2000)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HandshakeDecision.reject(403, "x", Map.of("X-Evil", "a\r\nSet-Cookie: b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
