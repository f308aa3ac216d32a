package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The same server on {@code HttpsServer}: the takeover keeps the TLS streams, and the session works over them. */
class TlsEndToEndTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static EchoServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        SSLContext context = selfSignedContext(dir.resolve("test.p12"));
        server = EchoServer.start(WebSocketConfig.builder().maxMessageBytes(128 * 1024).build(), true, context);
        client = HttpClient.newBuilder().sslContext(context).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.shutdownNow();
        }
    }

    @Test
    void echoesOverTlsAndClosesBothWays() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(server.uri("/ws"), listener).join();
        for (int length : new int[] {125, 126, 65535, 65536}) {
            String text = "t".repeat(length);
            ws.sendText(text, true).join();
            assertThat(listener.next()).isEqualTo(new RecordingListener.Text(text));
        }
        ws.sendPing(ByteBuffer.wrap(new byte[] {7})).join();
        assertThat(listener.next()).isInstanceOf(RecordingListener.Pong.class);
        ws.sendClose(4002, "").join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(4002, ""));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);

        RecordingListener second = new RecordingListener();
        client.newWebSocketBuilder().buildAsync(server.uri("/ws"), second).join();
        server.awaitSessions(1);
        server.handler.closeAll(Duration.ofSeconds(20));
        assertThat(second.next()).isEqualTo(new RecordingListener.Close(1001, "going away"));
        assertThat(server.nextEnd()).isEqualTo(DisconnectReason.SHUTDOWN);
        assertThat(ServerInternals.awaitExchangeCount(server.server, 0)).isZero();
    }

    /** A key pair for 127.0.0.1 made with the JDK's keytool, used as both key and trust store. */
    static SSLContext selfSignedContext(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "test",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
