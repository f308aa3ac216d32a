package dev.chatengine.demo;

import dev.chatengine.engine.chat.ChatMetrics;
import dev.chatengine.engine.chat.ErrorCode;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The chat protocol's figures ({@link ChatMetrics}) read at one moment, as plain values for
 * {@link PrometheusText}. Immutable; {@code errors} is copied, sorted by code.
 *
 * @param errors error replies sent so far, by their wire code ({@code rate_limited}, ...)
 */
record ChatSnapshot(long usersOnline, long rooms, long messages, long whispers, SortedMap<String, Long> errors) {

    ChatSnapshot {
        errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
    }

    /** Reads every figure of {@code metrics} once. */
    static ChatSnapshot of(ChatMetrics metrics) {
        SortedMap<String, Long> errors = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code.wire(), metrics.errors(code));
        }
        return new ChatSnapshot(metrics.usersOnline(), metrics.rooms(), metrics.messages(), metrics.whispers(), errors);
    }

    /** A snapshot with the given error counts and zeros elsewhere, for tests. */
    static ChatSnapshot ofErrors(Map<String, Long> errors) {
        return new ChatSnapshot(0, 0, 0, 0, new TreeMap<>(errors));
    }
}
