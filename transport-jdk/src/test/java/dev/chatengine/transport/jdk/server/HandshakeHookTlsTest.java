package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Over {@code HttpsServer} the hook sees the TLS session, and its principal reaches the client. */
class HandshakeHookTlsTest {

    @TempDir
    Path dir;

    @Test
    void theHookSeesTheTlsSessionOfAWssHandshake() throws Exception {
        SSLContext tls = TlsEndToEndTest.selfSignedContext(dir.resolve("hook.p12"));
        BlockingQueue<HandshakeRequest> seen = new LinkedBlockingQueue<>();
        BlockingQueue<Client> opened = new LinkedBlockingQueue<>();
        HandshakeHook hook = request -> {
            seen.add(request);
            return request.isSecure()
                    ? HandshakeDecision.accept(() -> "tls-user")
                    : HandshakeDecision.reject(403, "TLS only");
        };
        try (ChatServer server = ChatServer.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(tls)
                .webSocket(ws -> ws.handshakeHook(hook))
                .endpoint("/ws", hub -> new ClientHandler() {
                    @Override
                    public void onOpen(Client client) {
                        opened.add(client);
                    }

                    @Override
                    public void onText(Client client, Inbound.Text text) {
                    }
                })
                .start();
             WebSocketTestClient client = WebSocketTestClient.builder(server.uri("/ws")).sslContext(tls).connect()) {
            HandshakeRequest request = seen.poll(20, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.isSecure()).isTrue();
            assertThat(request.sslSession().orElseThrow().getProtocol()).startsWith("TLS");
            Client accepted = opened.poll(20, TimeUnit.SECONDS);
            assertThat(accepted).isNotNull();
            assertThat(accepted.principal().orElseThrow().getName()).isEqualTo("tls-user");
        }
    }
}
