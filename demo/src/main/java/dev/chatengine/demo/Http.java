package dev.chatengine.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Small helpers for the demo's plain HTTP answers. Stateless; called on each exchange's own thread. */
final class Http {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private Http() {
    }

    /**
     * A handler that passes only requests for exactly {@code path} to {@code handler} and answers
     * 404 to the rest: {@code HttpServer} matches contexts by prefix, so the context {@code /ws}
     * would otherwise also take {@code /ws2} and {@code /ws/anything}.
     */
    static HttpHandler exactPath(String path, HttpHandler handler) {
        return exchange -> {
            if (path.equals(exchange.getRequestURI().getRawPath())) {
                handler.handle(exchange);
            } else {
                notFound(exchange);
            }
        };
    }

    /**
     * A GET (and HEAD) readiness endpoint at exactly {@code path}: 200 {@code ready} while {@code ready} is
     * true, 503 {@code not ready: <why>} otherwise.
     */
    static HttpHandler readiness(String path, java.util.function.BooleanSupplier ready, String whyNot) {
        return exactPath(path, exchange -> {
            try (exchange) {
                if (allowGetOrHead(exchange)) {
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    boolean ok = ready.getAsBoolean();
                    send(exchange, ok ? 200 : 503, TEXT_PLAIN,
                            (ok ? "ready\n" : "not ready: " + whyNot + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        });
    }

    /** A GET (and HEAD) endpoint at exactly {@code path} that answers 200 with {@code body()} as {@code contentType}. */
    static HttpHandler getText(String path, String contentType, Supplier<String> body) {
        return exactPath(path, exchange -> {
            try (exchange) {
                if (allowGetOrHead(exchange)) {
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    send(exchange, 200, contentType, body.get().getBytes(StandardCharsets.UTF_8));
                }
            }
        });
    }

    /**
     * {@code handler} for local clients only, or, with a {@code token}, for clients sending
     * {@code Authorization: Bearer TOKEN}; others get 403 (or 401 when a token is wanted). A request
     * carrying {@code X-Forwarded-For} is never local: a reverse proxy on this host would otherwise
     * pass anyone's request on as loopback's.
     */
    static HttpHandler restricted(java.util.Optional<String> token, HttpHandler handler) {
        byte[] expected = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8)).orElse(null);
        return exchange -> {
            boolean allowed;
            if (expected != null) {
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                allowed = given != null && java.security.MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
            } else {
                allowed = exchange.getRemoteAddress().getAddress().isLoopbackAddress()
                        && !exchange.getRequestHeaders().containsKey("X-Forwarded-For");
            }
            if (allowed) {
                handler.handle(exchange);
                return;
            }
            try (exchange) {
                if (expected != null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    send(exchange, 401, TEXT_PLAIN, "token required\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 403, TEXT_PLAIN, "local clients only (start with --metrics-token to allow others)\n"
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        };
    }

    /**
     * True for GET and HEAD; otherwise answers 405 with {@code Allow: GET, HEAD} and returns false.
     */
    static boolean allowGetOrHead(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT_PLAIN, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    /** Answers 404 with a short text body, and ends the exchange. */
    static void notFound(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 404, TEXT_PLAIN, "not found\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Sends status, Content-Type and body; a HEAD request gets the headers only. Does not close the exchange. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (exchange.getRequestMethod().equals("HEAD") || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
