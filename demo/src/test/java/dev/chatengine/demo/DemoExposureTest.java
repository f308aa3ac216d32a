package dev.chatengine.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the demo faces the network: {@code /metrics} for loopback clients only by default (never for
 * a request a proxy forwarded), or for a bearer token; HTTPS and {@code wss://} from a PKCS#12
 * keystore made as the README's self-signed example.
 */
class DemoExposureTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void metricsAreForLocalClientsOnlyByDefault() throws Exception {
        try (DemoServer server = DemoServer.start(LOOPBACK)) {
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = server.baseUri().resolve("/metrics");
            assertThat(http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> forwarded = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT)
                    .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forwarded.statusCode()).isEqualTo(403);
            assertThat(forwarded.body()).doesNotContain("chat_connections");
        }
    }

    @Test
    void withATokenMetricsAnswerWhoeverSendsIt() throws Exception {
        Exposure exposure = new Exposure(Optional.empty(), "x", Optional.of("s3cret"), List.of());
        try (DemoServer server = DemoServer.start(LOOPBACK, DemoConfig.builder().exposure(exposure).build())) {
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = server.baseUri().resolve("/metrics");
            HttpResponse<String> without = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT)
                    .header("Authorization", "Bearer s3cre").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> with = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT)
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(with.body()).contains("chat_connections");
        }
    }

    @Test
    void aKeystoreServesHttpsAndWss(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("chat.p12");
        selfSignedKeystore(keystore, "changeit");
        Exposure exposure = new Exposure(Optional.of(keystore), "changeit", Optional.empty(), List.of());
        try (DemoServer server = DemoServer.start(LOOPBACK, DemoConfig.builder().exposure(exposure).build())) {
            assertThat(server.baseUri().getScheme()).isEqualTo("https");
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore, "changeit")).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(server.baseUri().resolve("/healthz"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("ok\n");

            CompletableFuture<String> echoed = new CompletableFuture<>();
            URI raw = server.webSocketUri("/ws/raw");
            assertThat(raw.getScheme()).isEqualTo("wss");
            WebSocket ws = https.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(raw, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    echoed.complete(data.toString());
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            ws.sendText("over tls", true).get(20, TimeUnit.SECONDS);
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("over tls");
            ws.abort();
        }
    }

    @Test
    void overTheMemoryBudgetUpgradesGet503WithRetryAfter() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean(true);
        DemoConfig config = DemoConfig.builder().handshakeLimits(dev.chatengine.transport.jdk.server.HandshakeLimits.builder()
                .overMemoryBudget(over::get).build()).build();
        try (DemoServer server = DemoServer.start(LOOPBACK, config)) {
            HttpClient http = HttpClient.newHttpClient();
            java.util.concurrent.ExecutionException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    java.util.concurrent.ExecutionException.class,
                    () -> http.newWebSocketBuilder().buildAsync(server.webSocketUri("/ws/raw"), new WebSocket.Listener() { })
                            .get(20, TimeUnit.SECONDS));
            assertThat(refused.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            HttpResponse<?> response = ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            over.set(false);
            http.newWebSocketBuilder().buildAsync(server.webSocketUri("/ws/raw"), new WebSocket.Listener() { })
                    .get(20, TimeUnit.SECONDS).abort();
        }
    }

    @Test
    void aBadKeystoreIsOneSentenceNamingTheFile(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("not-a-keystore.p12");
        Files.writeString(keystore, "hello");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ChatDemo.Outcome outcome = ChatDemo.start(new String[] {"--port", "0", "--tls-keystore", keystore.toString()},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
        assertThat(outcome).isEqualTo(new ChatDemo.Outcome.Exit(ChatDemo.EXIT_CANNOT_START));
        assertThat(err.toString()).contains("cannot use TLS keystore " + keystore);
    }

    /** The README's self-signed example, for 127.0.0.1. */
    static void selfSignedKeystore(Path keystore, String password) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "chat",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
