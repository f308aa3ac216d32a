package dev.chatengine.engine.chat;

import dev.chatengine.engine.Room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One room's chat state: the last {@code seq} and the history, the last {@code historySize}
 * {@code message} objects (fewer when they would take more than {@code maxHistoryBytes}) as encoded
 * JSON, so that a {@code joined} reply splices them without writing them again.
 *
 * <p>Thread contract: everything but {@link #name()} and {@link #room()} is guarded by the engine
 * room's order lock, that is, used only inside {@code room().atomically(...)}. That is what makes
 * seq order the delivery order and a join's history meet the live messages with nothing missed or
 * repeated.
 */
final class ChatRoom {

    private final String name;
    private final Room room;
    private final int historySize;
    private final int maxHistoryBytes;
    /** The kept messages, oldest first, with consecutive seqs ending at {@link #lastSeq}. */
    private final ArrayDeque<Kept> history = new ArrayDeque<>();
    private long historyBytes;
    private long lastSeq;

    private record Kept(long seq, byte[] json) {
    }

    /**
     * @param historySize     most messages kept
     * @param maxHistoryBytes most bytes of messages kept; the newest message is kept whatever its size
     */
    ChatRoom(String name, Room room, int historySize, int maxHistoryBytes) {
        this.name = name;
        this.room = room;
        this.historySize = historySize;
        this.maxHistoryBytes = maxHistoryBytes;
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

    /** Keeps the message with {@code seq} (the one {@link #nextSeq()} just gave), dropping the oldest beyond the limits. */
    void remember(long seq, byte[] messageJson) {
        if (historySize == 0) {
            return;
        }
        history.addLast(new Kept(seq, messageJson));
        historyBytes += messageJson.length;
        while (history.size() > historySize || (historyBytes > maxHistoryBytes && history.size() > 1)) {
            historyBytes -= history.removeFirst().json().length;
        }
    }

    boolean hasHistory() {
        return !history.isEmpty();
    }

    /**
     * True once the room was dropped from the registry, which happens together with its engine room's
     * retirement ({@link ChatRooms#removeIfAbandoned}); a join that finds it so looks the room up again.
     */
    boolean isRemoved() {
        return room.isRetired();
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
        long firstKept = history.isEmpty() ? lastSeq + 1 : history.peekFirst().seq();
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
        List<byte[]> out = new ArrayList<>((int) Math.max(0, Math.min(history.size(), lastSeq - from + 1)));
        for (Kept k : history) {
            if (k.seq() >= from) {
                out.add(k.json());
            }
        }
        return out;
    }
}
