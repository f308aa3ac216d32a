package dev.chatengine.engine.chat;

/**
 * A token bucket: holds up to {@code burst} tokens, gains {@code perSecond} a second, and each
 * request takes one. Not thread-safe: each connection has its own, used only by its read pump (the
 * shared per-recipient whisper buckets are used under their own monitor).
 *
 * <p>Time comes from the caller in milliseconds, so that tests can drive it; a clock that steps
 * back adds nothing until it has caught up again.
 */
final class RateLimiter {

    private static final double MILLIS_PER_SECOND = 1_000.0;

    private final double capacity;
    private final double tokensPerMilli;
    private double tokens;
    private long lastRefillMillis;

    /** A full bucket at {@code nowMillis}. */
    RateLimiter(int perSecond, int burst, long nowMillis) {
        this.capacity = burst;
        this.tokensPerMilli = perSecond / MILLIS_PER_SECOND;
        this.tokens = burst;
        this.lastRefillMillis = nowMillis;
    }

    /** Takes a token if there is one at {@code nowMillis}; false when the request must be refused. */
    boolean tryAcquire(long nowMillis) {
        if (hasToken(nowMillis)) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** True if a token is there at {@code nowMillis} (takes none). */
    boolean hasToken(long nowMillis) {
        if (nowMillis > lastRefillMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastRefillMillis) * tokensPerMilli);
            lastRefillMillis = nowMillis;
        }
        return tokens >= 1.0;
    }

    /** Milliseconds from the last refill until one token is there again (0 when one is). */
    long millisUntilToken() {
        return tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - tokens) / tokensPerMilli);
    }

    /** True when the bucket is full at {@code nowMillis}: forgetting it changes nothing. */
    boolean isFull(long nowMillis) {
        hasToken(nowMillis);
        return tokens >= capacity;
    }
}
