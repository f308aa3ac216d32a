package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ClientHandler} that throws, through the whole stack: the engine closes the client as
 * {@link DisconnectReason#SERVER_ERROR} and the JDK's own WebSocket client sees 1011 "internal error",
 * not a 1008 that would blame it.
 */
class HandlerFailureOverWebSocketTest {

    private Hub hub;
    private HttpServer server;
    private ExecutorService executor;
    private WebSocketHandler webSockets;
    private HttpClient httpClient;

    @AfterEach
    void stop() {
        if (httpClient != null) {
            httpClient.close();
        }
        if (hub != null) {
            hub.shutdown(Duration.ofSeconds(2));
        }
        if (webSockets != null) {
            webSockets.closeAll(Duration.ofSeconds(1));
        }
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Test
    void aHandlerThatThrowsClosesTheClientWith1011() throws Exception {
        hub = Hub.create(HubConfig.defaults(), WebSocketMessageEncoder.INSTANCE);
        BlockingQueue<DisconnectReason> closed = new LinkedBlockingQueue<>();
        ClientHandler handler = new ClientHandler() {
            @Override
            public void onText(Client client, Inbound.Text message) {
                if (message.text().equals("boom")) {
                    throw new IllegalStateException("handler bug (expected by the test)");
                }
                client.send(hub.encoder().text("ok:" + message.text()));
            }

            @Override
            public void onClose(Client client, DisconnectReason reason) {
                closed.add(reason);
            }
        };
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        webSockets = WebSocketHandler.create(WebSocketConfig.defaults(), connection -> hub.serve(connection, handler));
        server.createContext("/ws", webSockets);
        server.start();
        httpClient = HttpClient.newHttpClient();
        RecordingListener listener = new RecordingListener();
        WebSocket ws = httpClient.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/ws"), listener).join();

        ws.sendText("hi", true).join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text("ok:hi"));
        ws.sendText("boom", true).join();

        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1011, "internal error"));
        assertThat(closed.poll(20, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.SERVER_ERROR);
        assertThat(hub.metrics().dropped(DisconnectReason.SERVER_ERROR)).as("not a drop").isZero();
    }
}
