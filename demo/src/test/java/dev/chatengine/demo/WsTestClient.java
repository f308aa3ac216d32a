package dev.chatengine.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A test's WebSocket client on the JDK's {@link java.net.http.WebSocket} (a client this project did
 * not write): it records every text message and the close in queues that a test takes from, in
 * order, with a deadline. Thread-safe: the JDK's listener thread fills the queues.
 */
final class WsTestClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** The peer's close: its code and reason, or code -1 and the error when the connection failed. */
    record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsTestClient(URI uri) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    texts.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        };
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(WAIT)
                .buildAsync(uri, listener)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code uri} and returns once the handshake is done. */
    static WsTestClient connect(URI uri) {
        return new WsTestClient(uri);
    }

    /** Sends one text message and waits until it is handed to the socket. */
    void send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The next text message, waiting up to {@link #WAIT}; fails the test if none comes. */
    String next() {
        try {
            String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                fail("no message within " + WAIT);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends one binary message and waits until it is handed to the socket. */
    void sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** True once the server's close (or a failure) has arrived. */
    boolean isClosed() {
        return closed.isDone();
    }

    /** An orderly close from this side; returns once the server has answered it. */
    Closed closeAndAwait() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return awaitClose();
    }

    /** Cuts the connection without a close. */
    void abort() {
        socket.abort();
    }

    /** Takes the next message and checks it is exactly {@code expected}. */
    void expect(String expected) {
        assertThat(next()).isEqualTo(expected);
    }

    /** Asserts that no message is waiting now (call after the messages that must come were taken). */
    void assertNoMoreMessages() {
        assertThat(texts).as("messages nobody expected").isEmpty();
    }

    /** Waits for the server's close. */
    Closed awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
