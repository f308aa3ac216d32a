package dev.chatengine.transport.jdk.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link OriginPolicy#sameHostOrAllowlist(Set)}: same host and port as the {@code Host} header, or
 * an allow-listed origin. Immutable and thread-safe.
 */
final class SameHostOriginPolicy implements OriginPolicy {

    private static final int HTTP_DEFAULT_PORT = 80;
    private static final int HTTPS_DEFAULT_PORT = 443;

    /** Allow-listed origins in the canonical form {@code scheme://host:port}, lower case. */
    private final Set<String> allowlist;

    SameHostOriginPolicy(Set<String> allowedOrigins) {
        this.allowlist = allowedOrigins.stream()
                .map(origin -> parseOrigin(origin).orElseThrow(
                        () -> new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin)))
                .map(Endpoint::canonical)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean allows(String origin, String host, boolean secure) {
        Optional<Endpoint> parsed = parseOrigin(origin);
        if (parsed.isEmpty()) {
            return false; // "null" and malformed origins are never the same host
        }
        Endpoint from = parsed.get();
        if (allowlist.contains(from.canonical())) {
            return true;
        }
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI hostUri = new URI("http://" + host.trim());
            if (hostUri.getHost() == null) {
                return false;
            }
            int hostPort = hostUri.getPort() != -1 ? hostUri.getPort() : defaultPort(from.scheme());
            return from.host().equalsIgnoreCase(hostUri.getHost()) && from.port() == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Optional<Endpoint> parseOrigin(String origin) {
        if (origin == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || defaultPort(scheme) == -1) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
            return Optional.of(new Endpoint(scheme, uri.getHost().toLowerCase(Locale.ROOT), port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int defaultPort(String scheme) {
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> HTTP_DEFAULT_PORT;
            case "https", "wss" -> HTTPS_DEFAULT_PORT;
            default -> -1;
        };
    }

    private record Endpoint(String scheme, String host, int port) {
        String canonical() {
            return scheme + "://" + host + ":" + port;
        }
    }
}
