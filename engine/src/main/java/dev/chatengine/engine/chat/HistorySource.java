package dev.chatengine.engine.chat;

import java.util.List;

/**
 * Gives a room its past when it comes to life (its first join or announcement after a start, or after
 * it expired), so that an application that persists messages (with a {@link MessageListener}) gets them
 * back after a restart. The messages become the first seqs of the room's new epoch, oldest first; only
 * the newest {@link ChatConfig#historySize()} of them are kept. Called once per room life, on the thread
 * of the request that brought the room to life; may block (briefly).
 */
@FunctionalInterface
public interface HistorySource {

    HistorySource NONE = room -> List.of();

    /** The room's past messages, oldest first (at most a history's worth is used). */
    List<Past> history(String room);

    /** One past message: who said what, and when (epoch milliseconds). */
    record Past(String from, String text, long ts) {
    }
}
