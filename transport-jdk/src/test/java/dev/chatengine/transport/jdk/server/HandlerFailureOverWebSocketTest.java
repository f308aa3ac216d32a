package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
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
    private HubServer server;
    private HttpClient httpClient;

    @AfterEach
    void stop() {
        if (httpClient != null) {
            httpClient.close();
        }
        if (server != null) {
            server.close();
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
        server = HubServer.start(hub, handler, 0);
        httpClient = HttpClient.newHttpClient();
        RecordingListener listener = new RecordingListener();
        WebSocket ws = httpClient.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(server.uri(), listener).join();

        ws.sendText("hi", true).join();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Text("ok:hi"));
        ws.sendText("boom", true).join();

        assertThat(listener.next()).isEqualTo(new RecordingListener.Close(1011, "internal error"));
        assertThat(closed.poll(20, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.SERVER_ERROR);
        assertThat(hub.metrics().dropped(DisconnectReason.SERVER_ERROR)).as("not a drop").isZero();
    }
}
