package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test server on 127.0.0.1: {@code /ws} echoes every message back (driving {@link WebSocketConnection}
 * directly, as the engine would), {@code /plain} answers GET with "hello". Text commands:
 * {@code close:REASON} makes the server close with that {@link DisconnectReason}; {@code ping} makes it
 * send a ping; {@code address} answers the connection's {@code remoteAddress()}. A pong is reported back as the text {@code pong}. Each session's end is recorded.
 */
final class EchoServer implements AutoCloseable {

    final HttpServer server;
    final WebSocketHandler handler;
    final BlockingQueue<DisconnectReason> ended;
    private final ExecutorService executor;

    private EchoServer(HttpServer server, WebSocketHandler handler, ExecutorService executor,
                       BlockingQueue<DisconnectReason> ended) {
        this.server = server;
        this.handler = handler;
        this.executor = executor;
        this.ended = ended;
    }

    static EchoServer start(WebSocketConfig config) {
        return start(config, true);
    }

    /** @param virtualThreads false leaves the server's default executor (its dispatcher thread) */
    static EchoServer start(WebSocketConfig config, boolean virtualThreads) {
        return start(config, virtualThreads, null);
    }

    /** @param tls when not null, an {@code HttpsServer} with this context */
    static EchoServer start(WebSocketConfig config, boolean virtualThreads, javax.net.ssl.SSLContext tls) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            }
            ExecutorService executor = virtualThreads ? Executors.newVirtualThreadPerTaskExecutor() : null;
            server.setExecutor(executor);
            BlockingQueue<DisconnectReason> ended = new LinkedBlockingQueue<>();
            WebSocketHandler handler = WebSocketHandler.create(config, connection -> ended.add(echo(connection)));
            server.createContext("/ws", handler);
            server.createContext("/plain", exchange -> {
                byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new EchoServer(server, handler, executor, ended);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The echo loop: what an application's read pump does. Returns why the session ended. */
    static DisconnectReason echo(WebSocketConnection connection) {
        try {
            while (true) {
                Inbound inbound = connection.read();
                switch (inbound) {
                    case Inbound.Text text -> {
                        String s = text.text();
                        if (s.startsWith("close:")) {
                            connection.close(DisconnectReason.valueOf(s.substring("close:".length())));
                        } else if (s.equals("ping")) {
                            connection.ping();
                        } else if (s.equals("address")) {
                            send(connection, WebSocketMessageEncoder.INSTANCE.text(connection.remoteAddress()));
                        } else {
                            send(connection, WebSocketMessageEncoder.INSTANCE.text(text.utf8()));
                        }
                    }
                    case Inbound.Binary binary -> send(connection, WebSocketMessageEncoder.INSTANCE.binary(binary.data()));
                    case Inbound.Pong pong -> send(connection, WebSocketMessageEncoder.INSTANCE.text("pong"));
                    case Inbound.Closed closed -> {
                        return closed.reason();
                    }
                }
            }
        } catch (IOException e) {
            return DisconnectReason.CONNECTION_LOST;
        }
    }

    private static void send(WebSocketConnection connection, EncodedMessage message) throws IOException {
        connection.write(new EncodedMessage[] {message}, 1);
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri(String path) {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "wss" : "ws";
        return URI.create(scheme + "://127.0.0.1:" + port() + path);
    }

    /** The next session end, waiting up to 20 s. */
    DisconnectReason nextEnd() throws InterruptedException {
        DisconnectReason reason = ended.poll(20, java.util.concurrent.TimeUnit.SECONDS);
        if (reason == null) {
            throw new AssertionError("no session ended within 20 s");
        }
        return reason;
    }

    /** Waits up to 20 s until no session is open. */
    void awaitNoSessions() throws InterruptedException {
        awaitSessions(0);
    }

    /** Waits up to 20 s until exactly {@code count} sessions are open. */
    void awaitSessions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (handler.openSessions() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(handler.openSessions() + " sessions open after 20 s, expected " + count);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        handler.closeAll(Duration.ofSeconds(5));
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
