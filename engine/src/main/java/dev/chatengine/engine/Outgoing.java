package dev.chatengine.engine;

import dev.chatengine.engine.transport.EncodedMessage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A message on its way out of the hub, as the send queues hold it: the encoded message and how many
 * queues hold it now. One per {@link Client#send} and one per room broadcast, whatever the number of
 * recipients, so that the hub's memory accounting ({@link HubMetrics#queuedBytes()}) counts a shared
 * broadcast's bytes once: when the first queue takes it and until the last one lets go of it. Each
 * queue counts the full length against its own byte bound, without copying anything.
 *
 * <p>Thread-safe: holders are counted with atomic adds; a queue that refuses it or a write pump that
 * wrote or discarded it calls {@link #release()} once.
 */
final class Outgoing {

    private static final VarHandle HOLDERS;

    static {
        try {
            HOLDERS = MethodHandles.lookup().findVarHandle(Outgoing.class, "holders", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EncodedMessage message;
    final int length;
    private final HubMetrics metrics;
    /** The room that broadcast it, or null: its count of broadcasts still queued somewhere. */
    private final Room room;
    @SuppressWarnings("unused") // accessed through HOLDERS
    private volatile int holders;

    /**
     * A message about to be offered to {@code holders} queues; its bytes count as queued from now on
     * until every one of them has released it. {@code holders} of 0 makes nothing to release.
     */
    Outgoing(EncodedMessage message, int holders, HubMetrics metrics) {
        this(message, holders, metrics, null);
    }

    /** A broadcast of {@code room} to {@code holders} members: also counted in {@link Room#queuedBroadcasts()}. */
    Outgoing(EncodedMessage message, int holders, HubMetrics metrics, Room room) {
        this.message = message;
        this.length = message.length();
        this.metrics = metrics;
        this.room = room;
        this.holders = holders;
        if (holders > 0) {
            metrics.bytesQueued(length);
            if (room != null) {
                room.broadcastQueued(1);
            }
        }
    }

    /** One holder lets go (a queue refused it, or its write pump wrote or discarded it). */
    void release() {
        if ((int) HOLDERS.getAndAdd(this, -1) == 1) {
            released();
        }
    }

    private void released() {
        metrics.bytesQueued(-length);
        if (room != null) {
            room.broadcastQueued(-1);
        }
    }

    /** {@code count} holders let go at once (recipients that turned out to be closed). */
    void release(int count) {
        if (count > 0 && (int) HOLDERS.getAndAdd(this, -count) == count) {
            released();
        }
    }
}
