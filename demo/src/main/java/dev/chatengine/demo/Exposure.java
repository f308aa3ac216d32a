package dev.chatengine.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the demo faces the network beyond its address: TLS, who may read {@code /metrics}, which
 * reverse proxies' {@code X-Forwarded-For} it believes. Parsed from the command line's
 * {@link #FLAGS} by {@link CommandLine}; pure, no I/O (the keystore is read by {@link DemoTls}).
 *
 * @param tlsKeystore    a PKCS#12 keystore with the server's key and certificate: serve HTTPS and
 *                       {@code wss://} instead of plain HTTP
 * @param tlsPassword    its password ({@code --tls-password}, else the environment's
 *                       {@value #PASSWORD_VARIABLE}, else {@value #DEFAULT_PASSWORD})
 * @param metricsToken   when present, {@code /metrics} answers anyone who sends
 *                       {@code Authorization: Bearer TOKEN}; when empty, loopback clients only
 * @param trustedProxies literal IP addresses of reverse proxies whose {@code X-Forwarded-For} names
 *                       the client (for the per-address limits and the logs)
 * @param maxConnections the WebSocket connection cap (over it 503), when not derived from the heap
 *                       and the descriptor limit ({@code HandshakeLimits})
 */
public record Exposure(Optional<Path> tlsKeystore, String tlsPassword, Optional<String> metricsToken,
                List<String> trustedProxies, java.util.OptionalInt maxConnections) {

    static final Set<String> FLAGS = Set.of("--tls-keystore", "--tls-password", "--metrics-token", "--trusted-proxy",
            "--max-connections");
    static final String PASSWORD_VARIABLE = "CHAT_DEMO_TLS_PASSWORD";
    /** keytool's habitual example password, as in the README's self-signed example. */
    static final String DEFAULT_PASSWORD = "changeit";

    static final String USAGE = """
              --tls-keystore F   serve HTTPS and wss:// with the key in PKCS#12 keystore F (see README)
              --tls-password P   its password (default: $CHAT_DEMO_TLS_PASSWORD, else changeit)
              --metrics-token T  /metrics for anyone sending 'Authorization: Bearer T' (default: loopback only)
              --trusted-proxy IP a reverse proxy whose X-Forwarded-For names the client (repeatable)
              --max-connections N  WebSocket connections before 503 (default: from the heap and ulimit -n)
            """;

    public Exposure {
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        Objects.requireNonNull(tlsPassword, "tlsPassword");
        Objects.requireNonNull(metricsToken, "metricsToken");
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(maxConnections, "maxConnections");
    }

    public Exposure(Optional<Path> tlsKeystore, String tlsPassword, Optional<String> metricsToken, List<String> trustedProxies) {
        this(tlsKeystore, tlsPassword, metricsToken, trustedProxies, java.util.OptionalInt.empty());
    }

    /** Plain HTTP, /metrics for loopback only, no trusted proxy. */
    public static Exposure defaults() {
        return new Exposure(Optional.empty(), defaultPassword(), Optional.empty(), List.of());
    }

    private static String defaultPassword() {
        String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
        return fromEnvironment != null ? fromEnvironment : DEFAULT_PASSWORD;
    }

    /** Parses one of {@link #FLAGS}; the new value, or a one-sentence problem. */
    Object with(String flag, String value) {
        if (value.isBlank()) {
            return flag + " needs a value";
        }
        return switch (flag) {
            case "--tls-keystore" -> new Exposure(Optional.of(Path.of(value)), tlsPassword, metricsToken, trustedProxies,
                    maxConnections);
            case "--tls-password" -> new Exposure(tlsKeystore, value, metricsToken, trustedProxies, maxConnections);
            case "--metrics-token" -> new Exposure(tlsKeystore, tlsPassword, Optional.of(value), trustedProxies,
                    maxConnections);
            case "--max-connections" -> {
                if (value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(value) < 1) {
                    yield "--max-connections takes a positive number, not '" + value + "'";
                }
                yield new Exposure(tlsKeystore, tlsPassword, metricsToken, trustedProxies,
                        java.util.OptionalInt.of(Integer.parseInt(value)));
            }
            case "--trusted-proxy" -> {
                if (!isIpLiteral(value)) {
                    yield "--trusted-proxy takes a literal IP address, not '" + value + "'";
                }
                List<String> proxies = new ArrayList<>(trustedProxies);
                proxies.add(value);
                yield new Exposure(tlsKeystore, tlsPassword, metricsToken, proxies, maxConnections);
            }
            default -> throw new IllegalArgumentException(flag);
        };
    }

    private static boolean isIpLiteral(String value) {
        return value.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)
                && (value.contains(".") || value.contains(":"));
    }
}
