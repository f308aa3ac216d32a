package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.Attributes;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeHook} answers: accept the WebSocket, with the peer's identity and
 * attributes, which reach the engine's {@code Client} ({@code client.principal()},
 * {@code client.attribute(key)}); or reject it with an HTTP status, before any 101.
 *
 * <pre>{@code
 * HandshakeDecision.accept(new UserPrincipal("alice"), Attributes.of(ROLE, Role.ADMIN))
 * HandshakeDecision.unauthorized("Bearer realm=\"chat\"", "token required")   // 401 + WWW-Authenticate
 * HandshakeDecision.reject(403, "banned")
 * HandshakeDecision.reject(429, "slow down", Map.of("Retry-After", "30"))
 * }</pre>
 */
public sealed interface HandshakeDecision {

    /** The longest {@link Reject#reason()}, in UTF-8 bytes: a short plain-text body, not a page. */
    int MAX_REASON_BYTES = 1024;

    /**
     * Upgrade, with the peer's identity.
     *
     * @param principal  who the peer is, empty for an anonymous peer ({@code client.principal()})
     * @param attributes what else the application learned about the peer ({@code client.attribute(key)})
     */
    record Accept(Optional<Principal> principal, Attributes attributes) implements HandshakeDecision {
        /** Checks that no component is null. */
        public Accept {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(attributes, "attributes");
        }
    }

    /**
     * Refuse with an HTTP response instead of the 101.
     *
     * @param status  an HTTP status from 300 to 599 (401, 403, 429, 503, or a redirect to a login page)
     * @param reason  the plain-text body, at most {@value #MAX_REASON_BYTES} UTF-8 bytes (a line break is added)
     * @param headers extra response headers, such as {@code WWW-Authenticate} or {@code Retry-After};
     *                names and values must not contain CR or LF
     */
    record Reject(int status, String reason, Map<String, String> headers) implements HandshakeDecision {
        /** Validates the status, the length of the reason and the headers; copies the headers. */
        public Reject {
            if (status < 300 || status > 599) {
                throw new IllegalArgumentException("a rejection's status must be 300-599: " + status);
            }
            Objects.requireNonNull(reason, "reason");
            if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                throw new IllegalArgumentException("reason longer than " + MAX_REASON_BYTES + " bytes");
            }
            Map<String, String> copy = new LinkedHashMap<>();
            headers.forEach((name, value) -> {
                if (name.isEmpty() || containsLineBreak(name) || containsLineBreak(value)) {
                    throw new IllegalArgumentException("invalid response header: " + name);
                }
                copy.put(name, value);
            });
            headers = Map.copyOf(copy);
        }

        private static boolean containsLineBreak(String s) {
            return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        }
    }

    /** Accept an anonymous peer. */
    static Accept accept() {
        return new Accept(Optional.empty(), Attributes.empty());
    }

    /** Accept {@code principal}. */
    static Accept accept(Principal principal) {
        return new Accept(Optional.of(principal), Attributes.empty());
    }

    /** Accept {@code principal} with {@code attributes}. */
    static Accept accept(Principal principal, Attributes attributes) {
        return new Accept(Optional.of(principal), attributes);
    }

    /** Accept an anonymous peer with {@code attributes}. */
    static Accept accept(Attributes attributes) {
        return new Accept(Optional.empty(), attributes);
    }

    /** Reject with {@code status} and {@code reason} as the body. */
    static Reject reject(int status, String reason) {
        return new Reject(status, reason, Map.of());
    }

    /** Reject with {@code status}, {@code reason} as the body, and extra response {@code headers}. */
    static Reject reject(int status, String reason, Map<String, String> headers) {
        return new Reject(status, reason, headers);
    }

    /** 401 with {@code WWW-Authenticate: challenge} (RFC 9110 section 11.6.1 requires one), for example {@code Bearer realm="chat"}. */
    static Reject unauthorized(String challenge, String reason) {
        return new Reject(401, reason, Map.of("WWW-Authenticate", challenge));
    }
}
