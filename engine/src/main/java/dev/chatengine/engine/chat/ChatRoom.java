package dev.chatengine.engine.chat;

import dev.chatengine.engine.Room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * This node's copy of one room: its epoch, the last {@code seq} it delivered and the history, the last
 * {@code historySize} {@code message} objects (fewer when they would take more than {@code maxHistoryBytes})
 * as encoded JSON, so that a {@code joined} reply splices them without writing them again. The broker
 * gives the seqs ({@link dev.chatengine.engine.chat.spi.ChatBroker#publish}); this mirror follows what it
 * delivers.
 *
 * <p>Thread contract: everything but {@link #name()}, {@link #room()}, {@link #creator()} and
 * {@link #lastActivityMillis()} is guarded by the engine room's order lock, that is, used only inside
 * {@code room().atomically(...)}. That is what makes seq order the delivery order and a join's history
 * meet the live messages with nothing missed or repeated.
 */
final class ChatRoom {

    private final String name;
    private final Room room;
    private final int historySize;
    private final int maxHistoryBytes;
    private final String creator;
    /** The kept messages, oldest first, with consecutive seqs ending at {@link #lastSeq}. */
    private final ArrayDeque<Kept> history = new ArrayDeque<>();
    private long historyBytes;
    private long lastSeq;
    private String epoch;
    /** Messages delivered while the broker was still opening the room here (then null); guarded by the lock. */
    private List<Kept> early = new ArrayList<>();
    /** When the room last had a message or lost its last member; read by the expiry sweep. */
    private volatile long lastActivityMillis;

    private record Kept(long seq, byte[] json) {
    }

    ChatRoom(String name, Room room, int historySize, int maxHistoryBytes) {
        this(name, room, historySize, maxHistoryBytes, "", null, 0);
    }

    /**
     * @param historySize     most messages kept
     * @param maxHistoryBytes most bytes of messages kept; the newest message is kept whatever its size
     * @param epoch           the room's epoch when this node opened it
     * @param creator         the address of the client whose join made the room here, or null
     */
    ChatRoom(String name, Room room, int historySize, int maxHistoryBytes, String epoch, String creator, long nowMillis) {
        this.name = name;
        this.room = room;
        this.historySize = historySize;
        this.maxHistoryBytes = maxHistoryBytes;
        this.epoch = epoch;
        this.creator = creator;
        this.lastActivityMillis = nowMillis;
    }

    String name() {
        return name;
    }

    Room room() {
        return room;
    }

    String creator() {
        return creator;
    }

    String epoch() {
        return epoch;
    }

    long lastSeq() {
        return lastSeq;
    }

    long lastActivityMillis() {
        return lastActivityMillis;
    }

    void touch(long nowMillis) {
        lastActivityMillis = nowMillis;
    }

    /** False until {@link #opened}: deliveries meanwhile are kept by {@link #early} (no member can be in yet). */
    boolean isOpened() {
        return early == null;
    }

    /** A message the broker delivered before {@code openRoom} returned: applied by {@link #opened}. */
    void early(long seq, byte[] messageJson) {
        early.add(new Kept(seq, messageJson));
    }

    /**
     * The broker opened the room here: the mirror starts at its state (epoch, last seq, the history it keeps),
     * then the messages it delivered meanwhile that come after that are applied, in order.
     */
    void opened(dev.chatengine.engine.chat.spi.RoomState state) {
        long before = state.history().isEmpty() ? state.lastSeq() : state.history().getFirst().seq() - 1;
        reset(state.epoch(), before);
        for (var m : state.history()) {
            remember(m.seq(), Replies.message(m, null, null));
        }
        List<Kept> meanwhile = early;
        early = null;
        for (Kept k : meanwhile) {
            if (k.seq() > lastSeq) {
                remember(k.seq(), k.json());
            }
        }
    }

    /** Starts the mirror over at {@code epoch} and {@code lastSeq}, with no history (a new life of the room). */
    void reset(String epoch, long lastSeq) {
        this.epoch = epoch;
        this.lastSeq = lastSeq;
        history.clear();
        historyBytes = 0;
    }

    /** The next seq after the last one delivered (for callers that give seqs themselves, such as tests). */
    long nextSeq() {
        return lastSeq + 1;
    }

    /**
     * Keeps the message with {@code seq}, which becomes the last seq, dropping the oldest beyond the
     * limits. A seq that does not follow the last one leaves the kept messages only if they stay
     * consecutive: a gap clears them (the broker reports gaps it cannot fill as a reset anyway).
     */
    void remember(long seq, byte[] messageJson) {
        if (seq != lastSeq + 1) {
            history.clear();
            historyBytes = 0;
        }
        lastSeq = seq;
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

    /** {@link #historySince(String, OptionalLong)} in the current epoch (a {@code since} without an epoch, from an old client). */
    Recovery historySince(OptionalLong since) {
        return historySince(null, since);
    }

    /**
     * The history for a join. Without {@code since}: everything kept, and no verdict. With it: the
     * kept messages after {@code since}, and {@code recovered} true when those are all the messages
     * after it; false when some had already left the history, when {@code sinceEpoch} is not the room's
     * epoch, or when {@code since} is beyond the last seq (the client saw another life of this room), in
     * which cases it gets everything kept so that it can start over.
     *
     * @param sinceEpoch the epoch the client's {@code since} belongs to; null means the current one
     */
    Recovery historySince(String sinceEpoch, OptionalLong since) {
        long firstKept = history.isEmpty() ? lastSeq + 1 : history.peekFirst().seq();
        if (since.isEmpty()) {
            return new Recovery(kept(firstKept), null);
        }
        long s = since.getAsLong();
        if (s > lastSeq || (sinceEpoch != null && !sinceEpoch.equals(epoch))) {
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
