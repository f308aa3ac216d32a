package dev.chatengine.transport.jdk.server;

import java.util.Set;

/**
 * Decides whether a browser page from {@code origin} may open a WebSocket on this server: the
 * defence against cross-site WebSocket hijacking (RFC 6455 section 10.2). A rejected request gets
 * {@code 403 Forbidden}.
 *
 * <p>The handler calls the policy only for requests that carry an {@code Origin} header; a request
 * without one comes from a non-browser client, which can send any header it likes anyway, so it is
 * accepted. Set one on {@link WebSocketConfig.Builder#originPolicy}. Implementations must be
 * thread-safe: the handler calls them from many exchange threads at once.
 *
 * <pre>{@code
 * OriginPolicy.sameHostOrAllowlist(Set.of("https://chat.example.com"))   // the default, with an allowlist
 * OriginPolicy.anyOrigin()                                               // for development only
 * }</pre>
 */
@FunctionalInterface
public interface OriginPolicy {

    /**
     * Returns true when a WebSocket from a page of {@code origin} may be opened.
     *
     * @param origin the request's {@code Origin} header value, for example {@code https://example.com:8443}
     *               (browsers send the literal {@code null} for opaque origins)
     * @param host   the request's {@code Host} header value, for example {@code example.com:8443}, or
     *               null when the request had none
     * @param secure true when the request came over TLS ({@code HttpsServer})
     */
    boolean allows(String origin, String host, boolean secure);

    /**
     * The default policy: an origin is accepted when its host and port equal those of the
     * {@code Host} header, or when it is in {@code allowedOrigins} (exact origins such as
     * {@code https://chat.example.com}, compared case-insensitively, a default port may be written or
     * left out). Ports left out default by scheme: 80 for {@code http}/{@code ws}, 443 for
     * {@code https}/{@code wss}; a {@code Host} without a port takes the default of the origin's
     * scheme, so that a TLS-terminating proxy in front of a plain server still matches. The scheme
     * itself is not compared: a page on the same host and port is trusted whatever its scheme.
     */
    static OriginPolicy sameHostOrAllowlist(Set<String> allowedOrigins) {
        return new SameHostOriginPolicy(allowedOrigins);
    }

    /** Accepts every origin. Only for development or for servers that authenticate otherwise. */
    static OriginPolicy anyOrigin() {
        return (origin, host, secure) -> true;
    }
}
