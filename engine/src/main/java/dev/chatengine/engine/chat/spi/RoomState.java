package dev.chatengine.engine.chat.spi;

import java.util.List;
import java.util.Objects;

/**
 * Where a room stands when a node opens it ({@link ChatBroker#openRoom}): its epoch, the last seq given
 * in that epoch (0 before any message), and the newest messages the broker keeps, oldest first, with
 * consecutive seqs ending at {@code lastSeq} (possibly none: an in-process broker keeps no copy of its
 * own, the node's mirror is the history).
 *
 * @param created true when this very call began the room's life (a new epoch): the service then asks the
 *                application's history source for the room's past, exactly once per life
 */
public record RoomState(String epoch, long lastSeq, List<SequencedMessage> history, boolean created) {

    public RoomState {
        Objects.requireNonNull(epoch, "epoch");
        history = List.copyOf(history);
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq must be 0 or more: " + lastSeq);
        }
        if (!history.isEmpty() && history.getLast().seq() != lastSeq) {
            throw new IllegalArgumentException("history must end at lastSeq " + lastSeq);
        }
    }
}
