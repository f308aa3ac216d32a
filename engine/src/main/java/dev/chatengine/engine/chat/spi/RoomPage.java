package dev.chatengine.engine.chat.spi;

import java.util.List;

/**
 * One page of the room list ({@link ChatBroker#rooms}): rooms sorted by members, most first, then by
 * name; the number of rooms in all; and the cursor of the next page, or null on the last one.
 */
public record RoomPage(List<RoomInfo> rooms, int total, String next) {

    public RoomPage {
        rooms = List.copyOf(rooms);
    }

    /** A room and its member count. */
    public record RoomInfo(String name, int members) {
    }
}
