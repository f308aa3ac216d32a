package dev.chatengine.demo;

import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo's routes over real sockets on 127.0.0.1: the page's files, 404s, /healthz, /metrics, /ws/raw, stop. */
@Timeout(120)
class DemoServerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private DemoServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();

    @BeforeEach
    void start() throws IOException {
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.stop();
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void baseUriNamesTheBoundPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
        assertThat(server.webSocketUri("/ws/raw")).isEqualTo(URI.create("ws://127.0.0.1:" + server.port() + "/ws/raw"));
    }

    @Test
    void thePageAndItsFilesHaveTheirContentTypesAndNoCdn() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'", "connect-src 'self'"));
        assertThat(page.body()).contains("<script src=\"chat.js\"", "href=\"chat.css\"").doesNotContain("https://");

        HttpResponse<String> js = get("/chat.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("textContent").doesNotContain("innerHTML =", "https://");

        HttpResponse<String> css = get("/chat.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void anUnchangedFileIsA304() throws Exception {
        String etag = get("/chat.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/chat.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @ParameterizedTest(name = "GET {0} is 404")
    @ValueSource(strings = {"/nope", "/chat.js/", "/index.htm", "/ws/rawx", "/wsx", "/healthz/x", "/metrics2",
        "/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/dev/chatengine/demo/web/chat.js",
        "/dev/chatengine/demo/DemoServer.class", "/chat.js%00.html", "//etc/passwd", "/./chat.js"})
    void unknownPathsAndTraversalsAre404(String path) throws IOException {
        // A raw socket sends the request line exactly as written: a client library would normalize it.
        assertThat(rawStatusLine("GET " + path + " HTTP/1.1")).isEqualTo("HTTP/1.1 404 Not Found");
    }

    @Test
    void otherMethodsThanGetAreRefused() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.baseUri())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
    }

    @Test
    void healthzSaysOk() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(health.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void metricsAreInThePrometheusFormatAndFollowTheHubs() throws Exception {
        HttpResponse<String> before = get("/metrics");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(before.body()).contains(
                "# TYPE chat_connections gauge\n",
                "chat_connections{endpoint=\"ws\"} 0\n",
                "chat_connections{endpoint=\"raw\"} 0\n",
                "chat_clients_dropped_total{endpoint=\"raw\",reason=\"slow_consumer\"} 0\n");

        try (WebSocketTestClient a = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"))) {
            a.send("counted");
            a.expect("counted");
            String during = get("/metrics").body();
            assertThat(during).contains(
                    "chat_connections{endpoint=\"raw\"} 1\n",
                    "chat_connections_total{endpoint=\"raw\"} 1\n",
                    "chat_messages_received_total{endpoint=\"raw\"} 1\n",
                    "chat_connections{endpoint=\"ws\"} 0\n");
            awaitTrue(() -> metricsLine("chat_deliveries_total{endpoint=\"raw\"}").equals("1"),
                    "one delivery counted");
        }
    }

    @Test
    void metricsCountTheChatProtocolsErrorsByCode() throws Exception {
        assertThat(get("/metrics").body()).contains("chat_protocol_errors_total{endpoint=\"ws\",code=\"bad_json\"} 0\n");
        try (WebSocketTestClient chat = WebSocketTestClient.connect(server.webSocketUri("/ws"))) {
            chat.send("not json");
            assertThat(chat.next()).contains("\"type\":\"error\"", "\"code\":\"bad_json\"");
            assertThat(get("/metrics").body()).contains(
                    "chat_protocol_errors_total{endpoint=\"ws\",code=\"bad_json\"} 1\n",
                    "chat_connections{endpoint=\"ws\"} 1\n");
        }
    }

    @Test
    void rawBroadcastsEveryTextVerbatimToEveryClientSenderIncluded() {
        try (WebSocketTestClient a = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"));
             WebSocketTestClient b = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"))) {
            // Joined the room, not merely registered: a broadcast before the join would rightly miss b.
            awaitTrue(() -> server.rawHub().findRoom(RawBroadcastHandler.ROOM).map(r -> r.size() == 2).orElse(false),
                    "both clients in the raw room");
            String odd = "  {\"type\":\"say\"} not JSON, spaces kept\nand a newline, é, 😀  ";
            a.send("first from a");
            a.send(odd);
            a.expect("first from a");
            a.expect(odd);
            // Only now does b speak: two senders' messages have no order between them until one is seen.
            b.send("from b");
            a.expect("from b");
            b.expect("first from a");
            b.expect(odd);
            b.expect("from b");
            a.assertNoMoreMessages();
            b.assertNoMoreMessages();
        }
    }

    @Test
    void stopClosesWebSocketsWithGoingAwayAndFreesThePort() throws IOException {
        WebSocketTestClient raw = WebSocketTestClient.connect(server.webSocketUri("/ws/raw"));
        awaitTrue(() -> server.rawHub().metrics().connections() == 1, "client registered");
        int port = server.port();
        server.stop();
        assertThat(raw.awaitClose().code()).isEqualTo(1001);
        raw.close();
        // The port is free again: a new server can take it.
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", port));
        assertThat(server.port()).isEqualTo(port);
    }

    @Test
    void aBusyPortIsABindException() {
        assertThatThrownBy(() -> DemoServer.start(new InetSocketAddress("127.0.0.1", server.port())))
                .isInstanceOf(BindException.class);
    }

    private String metricsLine(String prefix) {
        try {
            return get("/metrics").body().lines().filter(l -> l.startsWith(prefix + " "))
                    .map(l -> l.substring(prefix.length() + 1)).findFirst().orElse("missing");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String rawStatusLine(String requestLine) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10); // polling interval, not a wait for an outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
