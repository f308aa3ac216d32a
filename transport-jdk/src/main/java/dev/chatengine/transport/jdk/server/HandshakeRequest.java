package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeHook} sees of a WebSocket opening handshake that passed the protocol's
 * checks and the {@link OriginPolicy}: the request line, the headers, who is asking, and the
 * subprotocol the {@link SubprotocolSelector} chose. Immutable.
 *
 * <p>Browsers cannot set headers on a WebSocket request, so a browser's credentials arrive as a
 * cookie ({@code header("Cookie")}), in the query ({@link #queryParameter}), or as an offered
 * subprotocol; other clients may send {@code Authorization}.
 *
 * @param method        the request method (always {@code GET} by the time the hook runs)
 * @param uri           the request URI as sent, with its query, for example {@code /ws?token=abc}
 * @param headers       the request headers, read-only (names case-insensitive)
 * @param remoteAddress the peer's address (the TCP peer: a proxy's when there is one in front)
 * @param sslSession    the TLS session of a request that came over {@code HttpsServer}, empty otherwise
 *                      (its peer certificates identify a client that presented one)
 * @param subprotocol   the subprotocol the 101 will carry, if one was chosen
 */
public record HandshakeRequest(String method, URI uri, Headers headers, InetSocketAddress remoteAddress,
                               Optional<SSLSession> sslSession, Optional<String> subprotocol) {

    /** Checks that no component is null. */
    public HandshakeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(sslSession, "sslSession");
        Objects.requireNonNull(subprotocol, "subprotocol");
    }

    /** The first value of the header {@code name} (case-insensitive), if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }

    /**
     * The first value of the query parameter {@code name}, percent- and plus-decoded as UTF-8, if
     * present ({@code ""} for a parameter without a value); for example {@code queryParameter("token")}
     * of {@code /ws?token=a%2Bb} is {@code "a+b"}.
     */
    public Optional<String> queryParameter(String name) {
        Objects.requireNonNull(name, "name");
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /** True for a request that came over TLS. */
    public boolean isSecure() {
        return sslSession.isPresent();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s; // a broken escape: compare the raw text rather than fail the handshake
        }
    }
}
