package dev.chatengine.engine.chat.spi;

import java.util.List;

/**
 * A room's members: at most the requested number of names, in the order they joined (oldest first),
 * and how many there are in all.
 */
public record MemberList(List<String> names, int total) {

    public MemberList {
        names = List.copyOf(names);
    }
}
