package dev.chatengine.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests, over real sockets, on the JDK's {@link java.net.http.WebSocket} (a
 * client this project did not write, so it checks the server rather than agreeing with it): it
 * records every text message and the close in queues that a test takes from, in order, each with
 * a deadline, and fails with an {@link AssertionError} when what it waits for does not come.
 *
 * <pre>{@code
 * try (WebSocketTestClient ws = WebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
 *     ws.send("hello");
 *     assertEquals("hello", ws.next());
 * }
 * int status = WebSocketTestClient.builder(uri).header("Authorization", "Bearer bad").handshakeStatus();  // 401
 * }</pre>
 *
 * Thread-safe: the JDK's listener thread fills the queues, any thread takes from them.
 */
public final class WebSocketTestClient implements AutoCloseable {

    /** How long each wait lasts unless a builder said otherwise: generous, so that a slow machine does not fail tests. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    /** The peer's close: its code and reason, or code -1 and the error when the connection failed. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final Duration wait;
    private final HttpClient http;
    private final WebSocket socket;

    private WebSocketTestClient(Builder builder) {
        this.wait = builder.wait;
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partialText = new StringBuilder();
            private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partialText.append(data);
                if (last) {
                    texts.add(partialText.toString());
                    partialText.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partialBinary.writeBytes(bytes);
                if (last) {
                    binaries.add(partialBinary.toByteArray());
                    partialBinary.reset();
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
        HttpClient.Builder httpBuilder = HttpClient.newBuilder();
        if (builder.sslContext != null) {
            httpBuilder.sslContext(builder.sslContext);
        }
        this.http = httpBuilder.build();
        WebSocket.Builder ws = http.newWebSocketBuilder().connectTimeout(wait);
        builder.headers.forEach(ws::header);
        if (!builder.subprotocols.isEmpty()) {
            ws.subprotocols(builder.subprotocols.getFirst(),
                    builder.subprotocols.subList(1, builder.subprotocols.size()).toArray(String[]::new));
        }
        try {
            this.socket = ws.buildAsync(builder.uri, listener).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            http.shutdownNow();
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode(), refused);
            }
            throw new AssertionError("could not connect to " + builder.uri + ": " + e.getCause(), e.getCause());
        }
    }

    /** Thrown by {@link Builder#connect()} when the server answered the handshake with another status than 101. */
    public static final class HandshakeRefused extends AssertionError {
        private final int status;

        HandshakeRefused(int status, Throwable cause) {
            super("WebSocket handshake refused with HTTP " + status, cause);
            this.status = status;
        }

        /** The HTTP status the server answered, for example 401. */
        public int status() {
            return status;
        }
    }

    /** Connects to {@code uri} with the defaults and returns once the handshake is done. */
    public static WebSocketTestClient connect(URI uri) {
        return builder(uri).connect();
    }

    /** A builder for a connection to {@code uri} ({@code ws://} or {@code wss://}). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Options of a connection; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> subprotocols = new ArrayList<>();
        private Duration wait = DEFAULT_WAIT;
        private javax.net.ssl.SSLContext sslContext;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** A header of the handshake request, for example {@code Authorization} or {@code Origin}. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The subprotocols to offer, in order of preference. */
        public Builder subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        /** How long each wait of the client lasts (connect, send, next, close); default {@link #DEFAULT_WAIT}. */
        public Builder wait(Duration wait) {
            this.wait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** The TLS context for {@code wss://}, for example one that trusts a test's self-signed certificate. */
        public Builder sslContext(javax.net.ssl.SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Connects and returns once the handshake is done.
         *
         * @throws HandshakeRefused when the server answered with another status than 101
         * @throws AssertionError   when the connection failed otherwise
         */
        public WebSocketTestClient connect() {
            return new WebSocketTestClient(this);
        }

        /** Tries the handshake and returns the status the server answered: 101 (then closes again), 401, 403, ... */
        public int handshakeStatus() {
            try {
                connect().close();
                return 101;
            } catch (HandshakeRefused refused) {
                return refused.status();
            }
        }
    }

    /** The subprotocol the server chose, if any. */
    public Optional<String> subprotocol() {
        String chosen = socket.getSubprotocol();
        return chosen == null || chosen.isEmpty() ? Optional.empty() : Optional.of(chosen);
    }

    /** Sends one text message and waits until it is handed to the socket. */
    public void send(String text) {
        socket.sendText(text, true).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends one binary message and waits until it is handed to the socket. */
    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The next text message, waiting up to the client's wait; fails if none comes. */
    public String next() {
        return next(wait);
    }

    /** The next text message, waiting up to {@code timeout}; fails if none comes. */
    public String next(Duration timeout) {
        return take(texts, timeout, "text message");
    }

    /** The next binary message, waiting up to the client's wait; fails if none comes. */
    public byte[] nextBinary() {
        return take(binaries, wait, "binary message");
    }

    /** Takes the next message and checks it is exactly {@code expected}. */
    public void expect(String expected) {
        String actual = next();
        if (!actual.equals(expected)) {
            throw new AssertionError("expected message\n  " + expected + "\nbut got\n  " + actual);
        }
    }

    /** Fails if a text message is waiting now (call after taking the messages that must come). */
    public void assertNoMoreMessages() {
        if (!texts.isEmpty()) {
            throw new AssertionError("messages nobody expected: " + List.copyOf(texts));
        }
    }

    /** True once the server's close (or a failure) has arrived. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Waits for the server's close (or the connection's failure, as code -1). */
    public Closed awaitClose() {
        try {
            return closed.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            throw new AssertionError("no close within " + wait, e.getCause());
        }
    }

    /** An orderly close from this side (1000 "bye"); returns the server's answer. */
    public Closed closeAndAwait() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
        return awaitClose();
    }

    /** Cuts the connection without a close. */
    public void abort() {
        socket.abort();
    }

    /** Sends a close if none was sent, and cuts the connection; never waits. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
        http.shutdownNow();
    }

    private static <T> T take(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a " + what, e);
        }
    }
}
