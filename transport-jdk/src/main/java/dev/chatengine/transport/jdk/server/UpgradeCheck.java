package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;
import dev.chatengine.transport.jdk.protocol.Handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what to answer an opening handshake request (RFC 6455 section 4.2.1): a 101 with the
 * accept value and the chosen subprotocol, or an HTTP error with a short reason. No I/O, so every
 * case is testable without a socket; thread-safe (stateless).
 */
final class UpgradeCheck {

    static final int SUPPORTED_VERSION = 13;

    private static final System.Logger LOG = System.getLogger(UpgradeCheck.class.getName());

    private UpgradeCheck() {
    }

    /** The answer to a handshake request. */
    sealed interface Outcome {
    }

    /** Upgrade: answer 101 with {@code acceptValue} and, when present, {@code subprotocol}. */
    record Accept(String acceptValue, Optional<String> subprotocol) implements Outcome {
    }

    /** Refuse with {@code status}, the plain-text {@code reason} as body, and extra response {@code headers}. */
    record Reject(int status, String reason, Map<String, String> headers) implements Outcome, ConnectionGate.Decision {
        Reject(int status, String reason) {
            this(status, reason, Map.of());
        }
    }

    /**
     * Checks the request in the order of RFC 6455 section 4.2.1 and returns the first failure, or
     * the accept.
     *
     * @param secure true for a request that came over TLS (decides the default port of {@code Host})
     */
    static Outcome evaluate(String method, String protocol, Headers headers, boolean secure, WebSocketConfig config) {
        if (!"GET".equals(method)) {
            return new Reject(405, "WebSocket handshake must be a GET request", Map.of("Allow", "GET"));
        }
        if (!"HTTP/1.1".equalsIgnoreCase(protocol)) {
            return new Reject(400, "WebSocket handshake requires HTTP/1.1");
        }
        String host = headers.getFirst("Host");
        if (host == null || host.isBlank()) {
            return new Reject(400, "missing Host header");
        }
        if (!anyHasToken(headers.get("Upgrade"), "websocket")) {
            return new Reject(400, "missing 'Upgrade: websocket' header");
        }
        if (!anyHasToken(headers.get("Connection"), "Upgrade")) {
            return new Reject(400, "missing 'Connection: Upgrade' header");
        }
        if (headers.containsKey("Content-Length") && !"0".equals(headers.getFirst("Content-Length").trim())
                || headers.containsKey("Transfer-Encoding")) {
            // A body would be read as WebSocket frames after the upgrade.
            return new Reject(400, "WebSocket handshake must not have a body");
        }
        List<String> versions = headers.get("Sec-WebSocket-Version");
        if (versions == null || versions.size() != 1 || !String.valueOf(SUPPORTED_VERSION).equals(versions.getFirst().trim())) {
            return new Reject(426, "unsupported WebSocket version, 13 required",
                    Map.of("Sec-WebSocket-Version", String.valueOf(SUPPORTED_VERSION)));
        }
        List<String> keys = headers.get("Sec-WebSocket-Key");
        if (keys == null || keys.size() != 1 || !Handshake.isValidKey(keys.getFirst().trim())) {
            return new Reject(400, "invalid Sec-WebSocket-Key, base64 of 16 bytes required");
        }
        String origin = headers.getFirst("Origin");
        if (origin != null && !config.originPolicy().allows(origin, host, secure)) {
            return new Reject(403, "origin not allowed");
        }
        List<String> offered = offeredSubprotocols(headers);
        Optional<String> chosen = config.subprotocolSelector().select(offered);
        Optional<String> subprotocol = chosen.filter(offered::contains);
        if (chosen.isPresent() && subprotocol.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> "SubprotocolSelector chose '" + chosen.get()
                    + "', which the client did not offer " + offered + "; answering without a subprotocol");
        }
        return new Accept(Handshake.acceptValue(keys.getFirst().trim()), subprotocol);
    }

    /** The client's {@code Sec-WebSocket-Protocol} values, split at commas, in order. */
    static List<String> offeredSubprotocols(Headers headers) {
        List<String> values = headers.get("Sec-WebSocket-Protocol");
        List<String> offered = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String token : value.split(",")) {
                    String trimmed = token.trim();
                    if (!trimmed.isEmpty()) {
                        offered.add(trimmed);
                    }
                }
            }
        }
        return List.copyOf(offered);
    }

    private static boolean anyHasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String value : values) {
            if (Handshake.hasToken(value, token)) {
                return true;
            }
        }
        return false;
    }
}
