package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.Room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms that exist: a room exists while it has members or history. At most {@code maxRooms}
 * exist at once. Thread-safe.
 *
 * <p>A room comes into being on its first join and goes away when its last member leaves and it
 * has no history (with a history size above 0, once anyone has spoken in it, it stays). Each
 * {@link ChatRoom} wraps the hub's {@link Room} of the same name, and they go together: a room that
 * goes is retired in the hub ({@link Hub#removeRoomIfEmpty}) and then dropped from here, both under
 * its order lock, so the hub holds only the rooms that are here, and a name's next join makes a new
 * pair. So the chat owns its rooms in the hub: nobody else should retire them.
 */
final class ChatRooms {

    private final Hub hub;
    private final ChatConfig config;
    private final ConcurrentHashMap<String, ChatRoom> rooms = new ConcurrentHashMap<>();

    ChatRooms(Hub hub, ChatConfig config) {
        this.hub = hub;
        this.config = config;
    }

    /** The room named {@code name}, made if there is none. @throws ChatError {@code bad_room} when it would be one too many */
    ChatRoom getOrCreate(String name, String ref) {
        ChatRoom room = rooms.get(name);
        if (room != null) {
            return room;
        }
        return rooms.computeIfAbsent(name, n -> {
            if (rooms.size() >= config.maxRooms()) {
                throw new ChatError(ErrorCode.BAD_ROOM, "there are too many rooms (" + config.maxRooms()
                        + "); join one that exists", ref);
            }
            return new ChatRoom(n, hub.room(n), config.historySize(), config.maxHistoryBytes());
        });
    }

    /** The room named {@code name}, or null. */
    ChatRoom find(String name) {
        return rooms.get(name);
    }

    /**
     * Forgets {@code room} if it has neither members nor history. Call it only inside
     * {@code room.room().atomically(...)}, after a leave.
     */
    void removeIfAbandoned(ChatRoom room) {
        // Under the room's lock a room not retired is the hub's room of its name, so the hub retires this very one.
        // The hub forgets it first: once it is out of this map, the next getOrCreate must find no stale room in the hub.
        if (!room.hasHistory() && !room.isRemoved() && hub.removeRoomIfEmpty(room.name())) {
            rooms.remove(room.name(), room);
        }
    }

    /** The rooms, sorted by name. */
    List<ChatRoom> snapshot() {
        List<ChatRoom> list = new ArrayList<>(rooms.values());
        list.sort(Comparator.comparing(ChatRoom::name));
        return list;
    }

    int count() {
        return rooms.size();
    }
}
