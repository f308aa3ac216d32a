package dev.chatengine.engine.chat;

import dev.chatengine.engine.Room;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One room's chat state: the last {@code seq} and the history, a ring of the last
 * {@code historySize} {@code message} objects as encoded JSON (so that a {@code joined} reply splices
 * them without writing them again).
 *
 * <p>Thread contract: everything but {@link #name()} and {@link #room()} is guarded by the engine
 * room's order lock, that is, used only inside {@code room().atomically(...)}. That is what makes
 * seq order the delivery order and a join's history meet the live messages with nothing missed or
 * repeated.
 */
final class ChatRoom {

    private final String name;
    private final Room room;
    private final byte[][] ring;
    private long lastSeq;
    /** Set when the room is dropped from the registry; a join that finds it set looks the room up again. */
    private boolean removed;

    ChatRoom(String name, Room room, int historySize) {
        this.name = name;
        this.room = room;
        this.ring = new byte[historySize][];
    }

    String name() {
        return name;
    }

    Room room() {
        return room;
    }

    /** The next seq: 1 for the room's first message, then one more each time, never a gap. */
    long nextSeq() {
        return ++lastSeq;
    }

    /** Keeps the message with {@code seq} (the one {@link #nextSeq()} just gave), dropping the oldest when full. */
    void remember(long seq, byte[] messageJson) {
        if (ring.length > 0) {
            ring[(int) ((seq - 1) % ring.length)] = messageJson;
        }
    }

    boolean hasHistory() {
        return ring.length > 0 && lastSeq > 0;
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** What a {@code joined} reply carries: the history and, for a join with {@code since}, whether it is complete. */
    record Recovery(List<byte[]> history, Boolean recovered) {
    }

    /**
     * The history for a join. Without {@code since}: everything kept, and no verdict. With it: the
     * kept messages after {@code since}, and {@code recovered} true when those are all the messages
     * after it; false when some had already left the history, or when {@code since} is beyond the
     * last seq (the client saw another life of this room, for example before a server restart), in
     * which case it gets everything kept so that it can start over.
     */
    Recovery historySince(OptionalLong since) {
        long firstKept = Math.max(1, lastSeq - ring.length + 1);
        if (since.isEmpty()) {
            return new Recovery(kept(firstKept), null);
        }
        long s = since.getAsLong();
        if (s > lastSeq) {
            return new Recovery(kept(firstKept), false);
        }
        if (s + 1 >= firstKept) {
            return new Recovery(kept(s + 1), true);
        }
        return new Recovery(kept(firstKept), false);
    }

    /** The kept messages from seq {@code from} to the last, oldest first. */
    private List<byte[]> kept(long from) {
        if (ring.length == 0 || from > lastSeq) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>((int) (lastSeq - from + 1));
        for (long seq = from; seq <= lastSeq; seq++) {
            out.add(ring[(int) ((seq - 1) % ring.length)]);
        }
        return out;
    }
}
