package dev.chatengine.demo;

import dev.chatengine.testing.WebSocketTestClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Asks a running demo server, over its chat WebSocket, whether it has one of the protocol
 * additions of issue 13 that the chat package brings (typing, online, room events, the names rule
 * with combining marks). The page's tests of those features skip, saying why, until the server side
 * is there, and run from the moment it is, as the page itself detects them.
 */
final class ServerFeatures {

    private static final Duration PROBE = Duration.ofSeconds(5);

    private ServerFeatures() {
    }

    static void assumeTyping(URI ws) {
        assumeTrue(answers(ws, "{\"type\":\"typing\",\"room\":\"lobby\",\"ref\":\"probe\"}"),
                "the server does not know \"typing\" yet (protocol additions: chat helper)");
    }

    static void assumeOnline(URI ws) {
        assumeTrue(answers(ws, "{\"type\":\"online\",\"names\":[\"nobody\"],\"ref\":\"probe\"}"),
                "the server does not know \"online\" yet (protocol additions: chat helper)");
    }

    /** The names rule: a name with a combining mark (the vowel sign of "पि") is accepted. */
    static void assumeNamesWithMarks(URI ws) {
        try (WebSocketTestClient c = WebSocketTestClient.connect(ws)) {
            c.send("{\"type\":\"login\",\"name\":\"पिप" + (int) (Math.random() * 1000) + "\"}");
            String reply = c.next();
            assumeTrue(reply.contains("\"welcome\""), "the server refuses names with combining marks yet: " + reply);
        }
    }

    /** Room events: a client hears of a room that another one creates. */
    static void assumeRoomEvents(URI ws) {
        String room = "probe" + UUID.randomUUID().toString().substring(0, 8);
        try (WebSocketTestClient listener = WebSocketTestClient.connect(ws);
             WebSocketTestClient creator = WebSocketTestClient.connect(ws)) {
            listener.send("{\"type\":\"login\",\"name\":\"probe" + room.substring(5) + "a\"}");
            await(listener, m -> m.contains("\"joined\""));
            creator.send("{\"type\":\"login\",\"name\":\"probe" + room.substring(5) + "b\"}");
            await(creator, m -> m.contains("\"joined\""));
            creator.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            assumeTrue(await(listener, m -> m.contains("\"type\":\"room\"") && m.contains(room)),
                    "the server sends no room created events yet (protocol additions: chat helper)");
        }
    }

    /** True when the request is answered with anything but unknown_type, on a logged-in connection. */
    private static boolean answers(URI ws, String request) {
        try (WebSocketTestClient c = WebSocketTestClient.connect(ws)) {
            c.send("{\"type\":\"login\",\"name\":\"probe" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
            await(c, m -> m.contains("\"joined\""));
            c.send(request);
            c.send("{\"type\":\"who\",\"room\":\"lobby\",\"ref\":\"after\"}");
            // Whatever comes first tells: an unknown_type error for the probe, or the who reply after it.
            for (Instant end = Instant.now().plus(PROBE); Instant.now().isBefore(end); ) {
                String m = c.next(PROBE);
                if (m.contains("\"ref\":\"probe\"")) {
                    return !m.contains("unknown_type");
                }
                if (m.contains("\"ref\":\"after\"")) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean await(WebSocketTestClient c, Predicate<String> wanted) {
        for (Instant end = Instant.now().plus(PROBE); Instant.now().isBefore(end); ) {
            try {
                if (wanted.test(c.next(Duration.between(Instant.now(), end).plusMillis(1)))) {
                    return true;
                }
            } catch (AssertionError timeout) {
                return false;
            }
        }
        return false;
    }
}
