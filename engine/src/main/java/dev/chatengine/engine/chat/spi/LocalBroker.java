package dev.chatengine.engine.chat.spi;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process {@link ChatBroker}, the default: one node, everything in this JVM, exactly the
 * single-node chat. Thread-safe; never throws {@link BrokerUnavailableException}.
 *
 * <p>Each room has a lock that orders its seqs and events; the listener is called under it, on the
 * caller's thread, before {@link #publish} or {@link #publishEphemeral} returns. It keeps no history
 * (the service's mirror is the room's history) and forgets a room when it is closed, so the room's next
 * life has a new epoch. Epochs are a random prefix drawn when the broker is made (so a restarted server
 * never repeats one) and a counter.
 */
public final class LocalBroker implements ChatBroker {

    private final String epochPrefix;
    private final AtomicLong lives = new AtomicLong();
    private final ConcurrentHashMap<String, Life> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Member> names = new ConcurrentHashMap<>();
    private volatile BrokerListener listener;

    /** A broker whose epochs begin with a random prefix. */
    public LocalBroker() {
        this(Long.toString(new SecureRandom().nextLong() >>> 24, 36) + "-");
    }

    /** A broker whose epochs are {@code epochPrefix} followed by a counter from 1 (for tests that compare bytes). */
    public LocalBroker(String epochPrefix) {
        this.epochPrefix = Objects.requireNonNull(epochPrefix, "epochPrefix");
    }

    /** One life of a room: guarded by {@link #lock}, except the counts read for the room list. */
    private static final class Life {
        final ReentrantLock lock = new ReentrantLock();
        final String epoch;
        long lastSeq;
        int opens;
        final LinkedHashMap<Long, Member> members = new LinkedHashMap<>();
        volatile int memberCount;

        Life(String epoch) {
            this.epoch = epoch;
        }
    }

    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("started already");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public RoomState openRoom(String room) {
        boolean[] created = {false};
        Life life = rooms.compute(room, (name, existing) -> {
            Life l = existing;
            if (l == null) {
                l = new Life(epochPrefix + Long.toString(lives.incrementAndGet(), 36));
                created[0] = true;
            }
            l.opens++; // under the map's lock for this key, as closeRoom's decrement
            return l;
        });
        RoomState state;
        life.lock.lock();
        try {
            state = new RoomState(life.epoch, life.lastSeq, List.of(), created[0]);
        } finally {
            life.lock.unlock();
        }
        if (created[0]) {
            listener().onRoomEvent(room, true);
        }
        return state;
    }

    @Override
    public void closeRoom(String room) {
        boolean[] gone = {false};
        rooms.computeIfPresent(room, (name, l) -> {
            if (--l.opens > 0) {
                return l;
            }
            gone[0] = true;
            return null;
        });
        if (gone[0]) {
            listener().onRoomEvent(room, false);
        }
    }

    @Override
    public Published publish(ChatMessage message, String publicationId) {
        Life life = life(message.room());
        life.lock.lock();
        try {
            long seq = ++life.lastSeq;
            listener().onMessage(new SequencedMessage(life.epoch, seq, message), publicationId);
            return new Published(life.epoch, seq);
        } finally {
            life.lock.unlock();
        }
    }

    @Override
    public void publishEphemeral(Ephemeral event) {
        Life life = rooms.get(event.room());
        if (life == null) {
            return; // nobody to tell
        }
        life.lock.lock();
        try {
            listener().onEphemeral(event);
        } finally {
            life.lock.unlock();
        }
    }

    @Override
    public boolean addMember(String room, Member member) {
        Life life = life(room);
        life.lock.lock();
        try {
            boolean added = life.members.putIfAbsent(member.clientId(), member) == null;
            life.memberCount = life.members.size();
            return added;
        } finally {
            life.lock.unlock();
        }
    }

    @Override
    public boolean removeMember(String room, Member member) {
        Life life = rooms.get(room);
        if (life == null) {
            return false;
        }
        life.lock.lock();
        try {
            boolean removed = life.members.remove(member.clientId(), member);
            life.memberCount = life.members.size();
            return removed;
        } finally {
            life.lock.unlock();
        }
    }

    @Override
    public MemberList members(String room, int limit) {
        Life life = rooms.get(room);
        if (life == null) {
            return new MemberList(List.of(), 0);
        }
        life.lock.lock();
        try {
            List<String> out = new ArrayList<>(Math.min(limit, life.members.size()));
            for (Member m : life.members.values()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(m.name());
            }
            return new MemberList(out, life.members.size());
        } finally {
            life.lock.unlock();
        }
    }

    @Override
    public int memberCount(String room) {
        Life life = rooms.get(room);
        return life == null ? 0 : life.memberCount;
    }

    /** Most members first, then by name: the order of {@link #rooms}. */
    private static final Comparator<RoomPage.RoomInfo> ROOM_ORDER = Comparator
            .comparingInt(RoomPage.RoomInfo::members).reversed()
            .thenComparing(RoomPage.RoomInfo::name);

    /** {@inheritDoc} The cursor is the last room of the previous page as {@code <members>:<name>}. */
    @Override
    public RoomPage rooms(int limit, String cursor) {
        List<RoomPage.RoomInfo> all = new ArrayList<>(rooms.size());
        rooms.forEach((name, life) -> all.add(new RoomPage.RoomInfo(name, life.memberCount)));
        all.sort(ROOM_ORDER);
        RoomPage.RoomInfo after = parseCursor(cursor);
        List<RoomPage.RoomInfo> page = new ArrayList<>(Math.min(limit, all.size()));
        boolean more = false;
        for (RoomPage.RoomInfo r : all) {
            if (after != null && ROOM_ORDER.compare(r, after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(r);
        }
        String next = more ? page.getLast().members() + ":" + page.getLast().name() : null;
        return new RoomPage(page, all.size(), next);
    }

    /** The room a cursor names, or null for none or one that does not parse (which starts from the top). */
    private static RoomPage.RoomInfo parseCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        int colon = cursor.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new RoomPage.RoomInfo(cursor.substring(colon + 1), Integer.parseInt(cursor.substring(0, colon)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public boolean claimName(Member member) {
        return names.putIfAbsent(member.key(), member) == null;
    }

    @Override
    public void releaseName(Member member) {
        names.remove(member.key(), member);
    }

    @Override
    public Optional<String> lookupName(String key) {
        Member m = names.get(key);
        return m == null ? Optional.empty() : Optional.of(m.name());
    }

    @Override
    public List<String> online(Collection<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            Member m = names.get(k);
            if (m != null) {
                out.add(m.name());
            }
        }
        return out;
    }

    @Override
    public List<String> onlineNames(int limit) {
        List<String> out = new ArrayList<>();
        for (Member m : names.values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(m.name());
        }
        return out;
    }

    @Override
    public boolean sendDirect(String toKey, Direct direct) {
        if (!names.containsKey(toKey)) {
            return false;
        }
        listener().onDirect(toKey, direct);
        return true;
    }

    @Override
    public boolean kick(String key, int code, String reason) {
        if (!names.containsKey(key)) {
            return false;
        }
        listener().onKick(key, code, reason);
        return true;
    }

    @Override
    public void close() {
        // nothing outside this JVM to release
    }

    /** The live room, which the service opened before using it; opened implicitly when it did not (a broker is lenient). */
    private Life life(String room) {
        Life life = rooms.get(room);
        if (life != null) {
            return life;
        }
        return rooms.computeIfAbsent(room, r -> new Life(epochPrefix + Long.toString(lives.incrementAndGet(), 36)));
    }

    private BrokerListener listener() {
        BrokerListener l = listener;
        if (l == null) {
            throw new IllegalStateException("start(listener) first");
        }
        return l;
    }
}
