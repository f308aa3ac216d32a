package dev.chatengine.engine.chat;

/**
 * One connection's chat state, kept as its {@link dev.chatengine.engine.Client#attachment()}.
 * The read pump writes it; other threads read {@link #name()} (to list members), so the name is volatile.
 */
final class Session {

    private final RateLimiter rateLimiter;
    private volatile String name;

    Session(RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The user's name, or null before login. */
    String name() {
        return name;
    }

    boolean isLoggedIn() {
        return name != null;
    }

    /** Called once, by the read pump, at login. */
    void loggedIn(String name) {
        this.name = name;
    }
}
