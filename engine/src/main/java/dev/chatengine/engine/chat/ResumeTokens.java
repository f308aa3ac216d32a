package dev.chatengine.engine.chat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resume tokens {@code welcome} hands out: each names one user's name, is good while its connection
 * lasts and for {@code windowMillis} after, and works once (the login it serves gets a fresh one).
 * Thread-safe. Local to this node: a login with a token on another node proceeds as a normal login.
 */
final class ResumeTokens {

    private static final int TOKEN_BYTES = 16; // 128 bits, 22 characters of base64url

    private final SecureRandom random = new SecureRandom();
    private final long windowMillis;
    private final ConcurrentHashMap<String, Entry> tokens = new ConcurrentHashMap<>();

    /** @param endedAtMillis Long.MAX_VALUE while the holder's connection lasts */
    record Entry(String key, String name, long endedAtMillis) {
    }

    ResumeTokens(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** A fresh token for {@code session}'s name; its previous one stops working. */
    String issue(Session session) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String old = session.resumeToken();
        if (old != null) {
            tokens.remove(old);
        }
        tokens.put(token, new Entry(session.key(), session.name(), Long.MAX_VALUE));
        session.resumeToken(token);
        return token;
    }

    /** Takes {@code token} (it works once): its entry, or null when it is unknown or expired. */
    Entry take(String token, long nowMillis) {
        Entry e = tokens.remove(token);
        if (e == null || (e.endedAtMillis() != Long.MAX_VALUE && nowMillis - e.endedAtMillis() > windowMillis)) {
            return null;
        }
        return e;
    }

    /** {@code session}'s connection ended: its token stays good for the window from now. */
    void ended(Session session, long nowMillis) {
        String token = session.resumeToken();
        if (token != null) {
            tokens.computeIfPresent(token, (t, e) -> new Entry(e.key(), e.name(), nowMillis));
        }
    }

    /** Forgets the tokens whose window has passed. */
    void sweep(long nowMillis) {
        tokens.values().removeIf(e -> e.endedAtMillis() != Long.MAX_VALUE && nowMillis - e.endedAtMillis() > windowMillis);
    }
}
