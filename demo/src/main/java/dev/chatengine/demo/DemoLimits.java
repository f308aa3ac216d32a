package dev.chatengine.demo;

import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.transport.jdk.server.DeflateConfig;
import dev.chatengine.transport.jdk.server.WebSocketConfig;

import java.util.Locale;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The limits users tune from the demo's command line ({@link #FLAGS}): the largest message, the
 * send queues' bounds, the hubs' memory budget and how long an abandoned chat room is kept. Each is empty unless given, and then the engine's
 * and the transport's defaults apply (the README's defaults table). Pure: parsed by
 * {@link CommandLine}, applied by {@link #applyTo}.
 *
 * <p>Sizes are bytes, with an optional binary suffix: {@code 65536}, {@code 64k}, {@code 20m},
 * {@code 1g}. Durations are a number with a unit: {@code 500ms}, {@code 2s}, {@code 15m}, {@code 1h}.
 *
 * @param maxMessageBytes   {@code --max-message}: the largest message a client may send, both endpoints
 *                          (over it the client is closed with 1009)
 * @param queueMessages     {@code --queue-messages}: messages a client's send queue holds before it is dropped
 * @param queueBytes        {@code --queue-bytes}: bytes a client's send queue holds before it is dropped;
 *                          by default the larger of the engine's default and 4 x the largest message, so that a
 *                          burst of maximum-size messages still fits
 * @param memoryBudgetBytes {@code --memory-budget}: bytes all queues of one endpoint may hold together
 *                          (each shared message once) before new connections get 503 and the heaviest
 *                          clients are shed with 1013
 * @param roomExpiry        {@code --room-expiry}: a chat room with no members and no message for this long is
 *                          forgotten with its history, and stops counting against its maker's address
 *                          ({@link ChatConfig#roomExpiry()}; made again, it is a new epoch)
 * @param deflate           {@code --deflate on|off}: whether permessage-deflate is negotiated with clients that offer
 *                          it (on by default, as the transport's {@code DeflateConfig}; off trades bandwidth for CPU)
 */
record DemoLimits(OptionalInt maxMessageBytes, OptionalInt queueMessages, OptionalLong queueBytes,
                  OptionalLong memoryBudgetBytes, Optional<Duration> roomExpiry, boolean deflate) {

    static final Set<String> FLAGS = Set.of("--max-message", "--queue-messages", "--queue-bytes", "--memory-budget",
            "--room-expiry", "--deflate");

    static final String USAGE = """
              --max-message B    largest message a client may send, e.g. 64k or 20m (default 64k; over it: 1009)
              --queue-messages N messages queued per client before it is dropped as slow (default 256)
              --queue-bytes B    bytes queued per client before it is dropped (default max(1m, 4 x --max-message))
              --memory-budget B  bytes queued per endpoint in all, before 503 and shedding with 1013
                                 (default a quarter of the heap)
              --room-expiry D    a chat room without members and messages for this long is forgotten with its
                                 history, e.g. 30s, 15m or 2h (default 15m)
              --deflate on|off   permessage-deflate with browsers that offer it (default on)
            """;

    /** How many largest messages a default queue holds at least. */
    static final int QUEUE_MESSAGES_OF_MAX_SIZE = 4;

    DemoLimits {
        Objects.requireNonNull(maxMessageBytes, "maxMessageBytes");
        Objects.requireNonNull(queueMessages, "queueMessages");
        Objects.requireNonNull(queueBytes, "queueBytes");
        Objects.requireNonNull(memoryBudgetBytes, "memoryBudgetBytes");
        Objects.requireNonNull(roomExpiry, "roomExpiry");
    }

    /** Nothing given: every default. */
    static DemoLimits defaults() {
        return new DemoLimits(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), true);
    }

    /** Parses one of {@link #FLAGS}; the new value, or a one-sentence problem. */
    Object with(String flag, String value) {
        if (flag.equals("--deflate")) {
            return switch (value) {
                case "on" -> new DemoLimits(maxMessageBytes, queueMessages, queueBytes, memoryBudgetBytes, roomExpiry, true);
                case "off" -> new DemoLimits(maxMessageBytes, queueMessages, queueBytes, memoryBudgetBytes, roomExpiry, false);
                default -> "--deflate takes on or off, not '" + value + "'";
            };
        }
        if (flag.equals("--room-expiry")) {
            Duration expiry = parseDuration(value);
            return expiry == null
                    ? "--room-expiry takes a duration with a unit, e.g. 30s, 15m or 2h, not '" + value + "'"
                    : new DemoLimits(maxMessageBytes, queueMessages, queueBytes, memoryBudgetBytes, Optional.of(expiry), deflate);
        }
        long parsed = parseSize(value);
        return switch (flag) {
            case "--max-message" -> parsed < 1 || parsed > Integer.MAX_VALUE - 64
                    ? "--max-message takes a size in bytes, e.g. 65536, 64k or 20m, not '" + value + "'"
                    : new DemoLimits(OptionalInt.of((int) parsed), queueMessages, queueBytes, memoryBudgetBytes, roomExpiry, deflate);
            case "--queue-messages" -> parsed < 1 || parsed > 1 << 30 || !value.chars().allMatch(Character::isDigit)
                    ? "--queue-messages takes a positive number, not '" + value + "'"
                    : new DemoLimits(maxMessageBytes, OptionalInt.of((int) parsed), queueBytes, memoryBudgetBytes, roomExpiry, deflate);
            case "--queue-bytes" -> parsed < 1
                    ? "--queue-bytes takes a size in bytes, e.g. 1m, not '" + value + "'"
                    : new DemoLimits(maxMessageBytes, queueMessages, OptionalLong.of(parsed), memoryBudgetBytes, roomExpiry, deflate);
            case "--memory-budget" -> parsed < 1
                    ? "--memory-budget takes a size in bytes, e.g. 256m, not '" + value + "'"
                    : new DemoLimits(maxMessageBytes, queueMessages, queueBytes, OptionalLong.of(parsed), roomExpiry, deflate);
            default -> throw new IllegalArgumentException(flag);
        };
    }

    /** Bytes with an optional k, m or g suffix (powers of 1024); -1 when it is not one. */
    static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(v) * unit;
    }

    /**
     * A positive number followed by {@code ms}, {@code s}, {@code m} or {@code h}; null when it is not one
     * (a bare number is refused: seconds or minutes would be a guess).
     */
    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            return null;
        }
        long n = Long.parseLong(v.substring(0, digits));
        Duration d = switch (v.substring(digits)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> null;
        };
        return d == null || d.isZero() ? null : d;
    }

    /** Applies the limits given to both hubs, the chat and the transport of {@code builder}, keeping everything else. */
    void applyTo(DemoConfig.Builder builder, DemoConfig base) {
        builder.chatHub(hub(base.chatHub())).rawHub(hub(base.rawHub()));
        roomExpiry.ifPresent(expiry -> builder.chat(base.chat().toBuilder().roomExpiry(expiry).build()));
        WebSocketConfig webSocket = base.webSocket();
        if (maxMessageBytes.isPresent()) {
            webSocket = webSocket.withMaxMessageBytes(maxMessageBytes.getAsInt());
        }
        if (!deflate) {
            webSocket = webSocket.withDeflate(DeflateConfig.disabled());
        }
        builder.webSocket(webSocket);
    }

    HubConfig hub(HubConfig base) {
        HubConfig.Builder hub = base.toBuilder();
        queueMessages.ifPresent(hub::sendQueueCapacity);
        long queue = queueBytes.orElse(Math.max(base.sendQueueBytes(),
                (long) QUEUE_MESSAGES_OF_MAX_SIZE * maxMessageBytes.orElse(0)));
        hub.sendQueueBytes(queue);
        memoryBudgetBytes.ifPresent(hub::memoryBudgetBytes);
        return hub.build();
    }
}
