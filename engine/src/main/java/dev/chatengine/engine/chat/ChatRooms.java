package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.chat.spi.ChatBroker;
import dev.chatengine.engine.chat.spi.RoomState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rooms this node has open: a room exists while it has members or history (history expires with
 * {@link ChatConfig#roomExpiry()} once the room is empty). At most {@code maxRooms} exist at once.
 * Thread-safe.
 *
 * <p>A room comes into being on its first join (or announcement) and goes away when its last member
 * leaves and it has no history, or when its history expires. Each {@link ChatRoom} wraps the hub's
 * {@link Room} of the same name, and they go together: a room that goes is retired in the hub
 * ({@link Hub#removeRoomIfEmpty}) and then dropped from here, both under its order lock, so the hub
 * holds only the rooms that are here, and a name's next join makes a new pair. So the chat owns its
 * rooms in the hub: nobody else should retire them. Each pair is opened in the broker once, when it is
 * made, and closed once, after it went ({@link #closeInBroker}), outside any room lock.
 */
final class ChatRooms {

    private final Hub hub;
    private final ChatConfig config;
    private final ChatBroker broker;
    private final ConcurrentHashMap<String, ChatRoom> rooms = new ConcurrentHashMap<>();
    /**
     * Rooms whose {@link ChatBroker#openRoom} is running: findable already, so that what a cluster broker
     * delivers before it returns is kept ({@link ChatRoom#early}) rather than lost.
     */
    private final ConcurrentHashMap<String, ChatRoom> opening = new ConcurrentHashMap<>();
    /** Rooms made by each address and still here, for {@link ChatConfig#maxRoomsPerAddress()}. */
    private final ConcurrentHashMap<String, Integer> createdBy = new ConcurrentHashMap<>();
    /** Rooms here that count against {@link ChatConfig#maxRooms()} (all but the default room), reserved before they are made. */
    private final AtomicInteger roomCount = new AtomicInteger();

    ChatRooms(Hub hub, ChatConfig config, ChatBroker broker) {
        this.hub = hub;
        this.config = config;
        this.broker = broker;
    }

    /** A room looked up or made: {@code state} is non-null when this call made it here. */
    record Opened(ChatRoom room, RoomState state) {
    }

    /**
     * The room named {@code name}, made (and opened in the broker) if there is none.
     *
     * @param creator the address to count a new room against, or null for rooms the server makes
     * @throws ChatError {@code bad_room} when it would be one too many, here or for {@code creator}
     */
    Opened getOrCreate(String name, String creator, long nowMillis, String ref) {
        ChatRoom room = rooms.get(name);
        if (room != null) {
            return new Opened(room, null);
        }
        RoomState[] opened = {null};
        try {
            room = rooms.computeIfAbsent(name, n -> open(n, creator, nowMillis, ref, opened));
        } finally {
            opening.remove(name);
        }
        return new Opened(room, opened[0]);
    }

    private ChatRoom open(String n, String creator, long nowMillis, String ref, RoomState[] opened) {
        // Both caps are taken as reservations before the room is made, each in one atomic step: rooms of
        // other names are made concurrently (computeIfAbsent serialises one name only), so a check here and
        // a count after the broker call let several connections of one address pass at the cap together.
        boolean serversRoom = n.equals(config.defaultRoom()); // a login must never find it refused: it counts for nobody
        String charge = serversRoom ? null : creator;
        boolean counted = false;
        boolean charged = false;
        try {
            if (!serversRoom) {
                reserveRoom(ref);
                counted = true;
            }
            if (charge != null) {
                chargeCreator(charge, ref);
                charged = true;
            }
            ChatRoom r = new ChatRoom(n, hub.room(n), config.historySize(), config.maxHistoryBytes(), "", charge, nowMillis);
            opening.put(n, r);
            RoomState state = broker.openRoom(n);
            opened[0] = state;
            r.room().atomically(tx -> {
                r.opened(state);
                return null;
            });
            counted = false;
            charged = false;
            return r;
        } finally {
            if (counted) {
                roomCount.decrementAndGet();
            }
            if (charged) {
                release(charge);
            }
        }
    }

    private void reserveRoom(String ref) {
        if (roomCount.incrementAndGet() > config.maxRooms()) {
            roomCount.decrementAndGet();
            throw new ChatError(ErrorCode.BAD_ROOM, "there are too many rooms (" + config.maxRooms()
                    + "); join one that exists", ref);
        }
    }

    private void chargeCreator(String creator, String ref) {
        createdBy.compute(creator, (address, made) -> {
            int count = made == null ? 0 : made;
            if (count >= config.maxRoomsPerAddress()) {
                throw new ChatError(ErrorCode.BAD_ROOM, "you have made too many rooms (" + config.maxRoomsPerAddress()
                        + "); join one that exists", ref);
            }
            return count + 1;
        });
    }

    private void release(String creator) {
        createdBy.computeIfPresent(creator, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** The room named {@code name} (also while the broker opens it: check {@link ChatRoom#isOpened()}), or null. */
    ChatRoom find(String name) {
        ChatRoom room = rooms.get(name);
        return room != null ? room : opening.get(name);
    }

    /**
     * Forgets {@code room} if it has no members and either no history or history older than the expiry.
     * Call it only inside {@code room.room().atomically(...)}, after a leave (or from the sweep); when it
     * returns true, call {@link #closeInBroker} after the lock is released.
     */
    boolean removeIfAbandoned(ChatRoom room, long nowMillis) {
        // Under the room's lock a room not retired is the hub's room of its name, so the hub retires this very one.
        // The hub forgets it first: once it is out of this map, the next getOrCreate must find no stale room in the hub.
        boolean expired = !room.hasHistory() || nowMillis - room.lastActivityMillis() >= config.roomExpiry().toMillis();
        if (expired && !room.isRemoved() && hub.removeRoomIfEmpty(room.name())) {
            rooms.remove(room.name(), room);
            if (!room.name().equals(config.defaultRoom())) {
                roomCount.decrementAndGet();
            }
            if (room.creator() != null) {
                release(room.creator());
            }
            return true;
        }
        return false;
    }

    /** Tells the broker that this node forgot {@code room} (never under a room lock). */
    void closeInBroker(ChatRoom room) {
        broker.closeRoom(room.name());
    }

    /** The rooms here, in no particular order. */
    Collection<ChatRoom> all() {
        return rooms.values();
    }

    List<ChatRoom> snapshot() {
        return new ArrayList<>(rooms.values());
    }

    int count() {
        return rooms.size();
    }
}
