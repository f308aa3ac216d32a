package dev.chatengine.engine.chat;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.chat.spi.Member;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's chat state, kept by {@link ChatService} in its own map (the client's attachment slot
 * stays the application's). The read pump writes it; other threads read the name (to list members and
 * route whispers), so the login fields are volatile; {@link #depart()} may run on any thread, once.
 */
final class Session {

    /** Whisper buckets one sender keeps, one per recipient; the oldest goes beyond this. */
    private static final int MAX_PAIR_LIMITERS = 64;

    private final Client client;
    private final RateLimiter rateLimiter;
    private final String host;
    private final AtomicBoolean departed = new AtomicBoolean();
    private volatile String name;
    private volatile Member member;
    private volatile String resumeToken;
    /** The rooms it joined and has not left, so that its departure does not depend on the hub's view. */
    private final java.util.Set<ChatRoom> rooms = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Last typing event forwarded, per room: the read pump adds, a leave (possibly on another thread) removes. */
    private final Map<String, Long> typingSent = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whisper bucket per recipient key; read pump only. */
    private final LinkedHashMap<String, RateLimiter> pairLimiters = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
            return size() > MAX_PAIR_LIMITERS;
        }
    };

    Session(Client client, RateLimiter rateLimiter, String host) {
        this.client = client;
        this.rateLimiter = rateLimiter;
        this.host = host;
    }

    Client client() {
        return client;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The client's address without the port: what the per-address limits count. */
    String host() {
        return host;
    }

    /** The user's name, or null before login. */
    String name() {
        return name;
    }

    /** The name's key, or null before login. */
    String key() {
        Member m = member;
        return m == null ? null : m.key();
    }

    Member member() {
        return member;
    }

    boolean isLoggedIn() {
        return member != null;
    }

    /** Called once, by the read pump, at login. */
    void loggedIn(Member member) {
        this.name = member.name();
        this.member = member;
    }

    String resumeToken() {
        return resumeToken;
    }

    void resumeToken(String token) {
        this.resumeToken = token;
    }

    void joined(ChatRoom room) {
        rooms.add(room);
    }

    void left(ChatRoom room) {
        rooms.remove(room);
    }

    /** A snapshot of the rooms it is in. */
    java.util.List<ChatRoom> rooms() {
        return java.util.List.copyOf(rooms);
    }

    /** True the first time: the caller then takes the client out of its rooms and frees its name. */
    boolean depart() {
        return departed.compareAndSet(false, true);
    }

    boolean hasDeparted() {
        return departed.get();
    }

    /** True if a typing event for {@code room} may go out at {@code nowMillis} (and records it). */
    boolean mayType(String room, long nowMillis, long intervalMillis) {
        Long last = typingSent.get(room);
        if (last != null && nowMillis - last < intervalMillis) {
            return false;
        }
        typingSent.put(room, nowMillis);
        return true;
    }

    void forgetTyping(String room) {
        typingSent.remove(room);
    }

    RateLimiter pairLimiter(String toKey, int perSecond, long nowMillis) {
        return pairLimiters.computeIfAbsent(toKey, k -> new RateLimiter(perSecond, perSecond * 2, nowMillis));
    }
}
