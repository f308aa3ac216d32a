package dev.chatengine.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Serves the chat page's files (HTML, CSS, JavaScript) from class-path resources, read once at
 * start. Thread-safe and immutable after construction.
 *
 * <p>Only the paths in a fixed table are served; everything else is 404, so no request path ever
 * becomes a resource or file name and path traversal has nothing to reach. Responses carry an
 * {@code ETag} and {@code Cache-Control: no-cache}: the browser keeps a copy but asks each time,
 * so a new jar's page is seen at the next reload and an unchanged one costs a 304. The HTML gets a
 * Content-Security-Policy that allows only this origin's scripts, styles and WebSocket, as a second
 * line of defence behind the page's rule of rendering every message as text.
 */
final class StaticResources implements HttpHandler {

    /** Where the page's files are, on the class path. */
    static final String RESOURCE_ROOT = "/dev/chatengine/demo/web/";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Resource(byte[] body, String contentType, String etag) {
    }

    private final Map<String, Resource> byPath;

    private StaticResources(Map<String, Resource> byPath) {
        this.byPath = byPath;
    }

    /** The chat page: {@code /} (index.html), {@code /chat.css}, {@code /chat.js}. */
    static StaticResources chatPage() {
        return new StaticResources(Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/index.html", load("index.html", "text/html; charset=utf-8"),
                "/chat.css", load("chat.css", "text/css; charset=utf-8"),
                "/chat.js", load("chat.js", "text/javascript; charset=utf-8")));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Resource resource = byPath.get(exchange.getRequestURI().getRawPath());
            if (resource == null) {
                Http.notFound(exchange);
                return;
            }
            if (!Http.allowGetOrHead(exchange)) {
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("Cache-Control", "no-cache");
            headers.set("ETag", resource.etag());
            if (resource.contentType().startsWith("text/html")) {
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("Referrer-Policy", "no-referrer");
            }
            boolean unchanged = resource.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"));
            Http.send(exchange, unchanged ? 304 : 200, resource.contentType(), resource.body());
        }
    }

    private static Resource load(String name, String contentType) {
        try (InputStream in = StaticResources.class.getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE_ROOT + name + " is missing from the class path");
            }
            byte[] body = in.readAllBytes();
            return new Resource(body, contentType, etag(body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE_ROOT + name, e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
