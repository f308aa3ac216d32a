package dev.chatengine.engine.chat;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The chat protocol's counters (since start) and gauges (now), for example for a {@code /metrics}
 * endpoint beside {@link dev.chatengine.engine.HubMetrics}. Thread-safe and cheap to read.
 */
public final class ChatMetrics {

    private final IntSupplier usersOnline;
    private final IntSupplier rooms;
    private final LongAdder messages = new LongAdder();
    private final LongAdder whispers = new LongAdder();
    private final AtomicLongArray errors = new AtomicLongArray(ErrorCode.values().length);

    ChatMetrics(IntSupplier usersOnline, IntSupplier rooms) {
        this.usersOnline = usersOnline;
        this.rooms = rooms;
    }

    /** Gauge: users logged in now. */
    public int usersOnline() {
        return usersOnline.getAsInt();
    }

    /** Gauge: rooms that exist now (with members or history). */
    public int rooms() {
        return rooms.getAsInt();
    }

    /** Counter: {@code say} messages accepted. */
    public long messages() {
        return messages.sum();
    }

    /** Counter: {@code whisper}s delivered. */
    public long whispers() {
        return whispers.sum();
    }

    /** Counter: {@code error} replies with {@code code}. */
    public long errors(ErrorCode code) {
        return errors.get(code.ordinal());
    }

    void messageAccepted() {
        messages.increment();
    }

    void whisperDelivered() {
        whispers.increment();
    }

    void errorSent(ErrorCode code) {
        errors.incrementAndGet(code.ordinal());
    }

    @Override
    public String toString() {
        return "ChatMetrics[usersOnline=" + usersOnline() + ", rooms=" + rooms() + ", messages=" + messages()
                + ", whispers=" + whispers() + "]";
    }
}
