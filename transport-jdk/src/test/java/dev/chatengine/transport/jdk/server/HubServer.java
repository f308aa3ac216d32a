package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test fixture: a real engine {@link Hub} behind this transport, on an {@link HttpServer} with a
 * virtual-thread executor on a loopback port, every WebSocket of {@code /ws} served by one handler.
 * {@link #close()} stops it all the way a server should: hub first (clients get 1001), then sessions,
 * then the HTTP server.
 */
final class HubServer implements AutoCloseable {

    private final Hub hub;
    private final ExecutorService executor;
    private final HttpServer server;
    private final WebSocketHandler webSockets;

    private HubServer(Hub hub, ExecutorService executor, HttpServer server, WebSocketHandler webSockets) {
        this.hub = hub;
        this.executor = executor;
        this.server = server;
        this.webSockets = webSockets;
    }

    /** Starts serving {@code hub} with {@code handler}; {@code backlog} is the listen backlog (0: the JDK's default). */
    static HubServer start(Hub hub, ClientHandler handler, int backlog) throws IOException {
        return start(hub, handler, backlog, WebSocketConfig.defaults());
    }

    /** As {@link #start(Hub, ClientHandler, int)} with the transport's settings {@code config}. */
    static HubServer start(Hub hub, ClientHandler handler, int backlog, WebSocketConfig config) throws IOException {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        server.setExecutor(executor);
        WebSocketHandler webSockets = WebSocketHandler.create(config, connection -> hub.serve(connection, handler));
        server.createContext("/ws", webSockets);
        server.start();
        return new HubServer(hub, executor, server, webSockets);
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    @Override
    public void close() {
        hub.shutdown(Duration.ofSeconds(2));
        webSockets.closeAll(Duration.ofSeconds(1));
        server.stop(0);
        executor.shutdownNow();
    }
}
