package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The opening handshake over real sockets: each refusal's status, the origin policy, the subprotocol hook. */
class HandshakeOverSocketTest {

    private static EchoServer server;

    @BeforeAll
    static void start() {
        server = EchoServer.start(WebSocketConfig.builder()
                .originPolicy(OriginPolicy.sameHostOrAllowlist(Set.of("https://allowed.example")))
                .subprotocolSelector(SubprotocolSelector.preferring(List.of("chat.v2", "chat.v1")))
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code request} on a fresh socket and returns the response head. */
    private static String exchange(String request) throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            client.send(request.getBytes(StandardCharsets.ISO_8859_1));
            return client.readResponseHead();
        }
    }

    private static String valid(String extraHeaders) {
        return RawClient.handshake(server.port(), "/ws", extraHeaders);
    }

    @Test
    void validHandshakeGets101WithTheAcceptOfRfc6455Section13() throws Exception {
        String head = exchange(valid(""));
        assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .containsIgnoringCase("Upgrade: websocket\r\n")
                .containsIgnoringCase("Connection: Upgrade\r\n")
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                .doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
    }

    @Test
    void postGets405() throws Exception {
        String head = exchange(valid("").replaceFirst("^GET ", "POST ").replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n"));
        assertThat(head).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: GET");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Upgrade header       | Upgrade: websocket\\r\\n         | ",
            "Upgrade not websocket   | Upgrade: websocket\\r\\n         | Upgrade: h2c\\r\\n",
            "no Connection: Upgrade  | Connection: Upgrade\\r\\n        | Connection: keep-alive\\r\\n",
            "key of 15 bytes         | dGhlIHNhbXBsZSBub25jZQ==       | dGhlIHNhbXBsZSBub25j",
            "key not base64          | dGhlIHNhbXBsZSBub25jZQ==       | not*base64*at*all*!!",
            "missing key             | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\n | ",
            "HTTP/1.0                | HTTP/1.1\\r\\n                   | HTTP/1.0\\r\\n",
    })
    void malformedHandshakeGets400(String label, String replaced, String replacement) throws Exception {
        String request = valid("").replace(unescape(replaced), replacement == null ? "" : unescape(replacement));
        assertThat(exchange(request)).as(label).startsWith("HTTP/1.1 400");
    }

    @Test
    void tokensAreCaseInsensitiveInCommaLists() throws Exception {
        String request = valid("").replace("Upgrade: websocket", "Upgrade: foo, WebSocket")
                .replace("Connection: Upgrade", "Connection: keep-alive, upgrade");
        assertThat(exchange(request)).startsWith("HTTP/1.1 101");
    }

    @Test
    void otherVersionGets426NamingVersion13() throws Exception {
        String head = exchange(valid("").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        assertThat(head).startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13\r\n");
    }

    @ParameterizedTest(name = "Origin {0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:PORT,       101", // same host and port
            "https://allowed.example,     101", // allow-listed
            "https://ALLOWED.example:443, 101", // allow-listed, default port written, case differs
            "http://127.0.0.1:1,          403", // same host, other port
            "http://evil.example,         403",
            "null,                        403", // an opaque origin
    })
    void originPolicy(String origin, int status) throws Exception {
        String request = valid("Origin: " + origin.replace("PORT", String.valueOf(server.port())) + "\r\n");
        assertThat(exchange(request)).startsWith("HTTP/1.1 " + status);
    }

    @Test
    void requestWithoutOriginIsAccepted() throws Exception {
        assertThat(exchange(valid(""))).startsWith("HTTP/1.1 101");
    }

    @Test
    void subprotocolHookPicksFromTheOffer() throws Exception {
        String head = exchange(valid("Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n"));
        assertThat(head).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Protocol: chat.v2\r\n");
        assertThat(exchange(valid("Sec-WebSocket-Protocol: other\r\n")))
                .startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
    }

    @Test
    void jdkClientSeesTheChosenSubprotocol() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (AutoCloseable ignored = client::shutdownNow) { // close() would wait for a broken server forever
            WebSocket ws = client.newWebSocketBuilder().subprotocols("chat.v1", "chat.v2")
                    .buildAsync(server.uri("/ws"), new RecordingListener()).join();
            assertThat(ws.getSubprotocol()).isEqualTo("chat.v2");
            ws.abort();
        }
    }

    @Test
    void jdkClientIsRefusedForAForeignOrigin() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (AutoCloseable ignored = client::shutdownNow) { // close() would wait for a broken server forever
            assertThatThrownBy(() -> client.newWebSocketBuilder().header("Origin", "http://evil.example")
                    .connectTimeout(Duration.ofSeconds(20))
                    .buildAsync(server.uri("/ws"), new RecordingListener()).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                            .isEqualTo(403));
        }
    }

    private static String unescape(String csv) {
        return csv.replace("\\r\\n", "\r\n");
    }
}
