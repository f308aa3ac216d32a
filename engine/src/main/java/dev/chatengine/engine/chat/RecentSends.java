package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.SequencedMessage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code id}s of {@code say} and {@code whisper} requests each user (by name key) had accepted in the
 * last {@code windowMillis}, with what they became, so that a repeat (a page resending after a reconnect)
 * is answered with the original and delivered to nobody again. Thread-safe. Bounded: at most
 * {@value #MAX_PER_USER} ids a user (the oldest go first), and users whose ids all expired are dropped
 * by {@link #sweep}. Local to this node.
 */
final class RecentSends {

    static final int MAX_PER_USER = 32;

    private final long windowMillis;
    private final ConcurrentHashMap<String, Ids> byUser = new ConcurrentHashMap<>();

    /** What an accepted request became. */
    sealed interface Sent {
        long acceptedAtMillis();
    }

    record Said(SequencedMessage message, long acceptedAtMillis) implements Sent {
    }

    record Whispered(Direct direct, long acceptedAtMillis) implements Sent {
    }

    /** One user's ids, oldest first; guarded by its own monitor. */
    private static final class Ids extends LinkedHashMap<String, Sent> {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > MAX_PER_USER;
        }
    }

    RecentSends(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** What {@code userKey}'s request {@code id} became, if it was accepted within the window; else null. */
    Sent find(String userKey, String id, long nowMillis) {
        Ids ids = byUser.get(userKey);
        if (ids == null) {
            return null;
        }
        synchronized (ids) {
            Sent s = ids.get(id);
            return s != null && nowMillis - s.acceptedAtMillis() <= windowMillis ? s : null;
        }
    }

    void remember(String userKey, String id, Sent sent) {
        Ids ids = byUser.computeIfAbsent(userKey, k -> new Ids());
        synchronized (ids) {
            ids.put(id, sent);
        }
    }

    void sweep(long nowMillis) {
        byUser.values().removeIf(ids -> {
            synchronized (ids) {
                ids.values().removeIf(s -> nowMillis - s.acceptedAtMillis() > windowMillis);
                return ids.isEmpty();
            }
        });
    }
}
