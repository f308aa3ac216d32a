package dev.chatengine.engine;

import dev.chatengine.engine.transport.EncodedMessage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A client's bounded send queue: many producers (broadcasters, on any thread), one consumer (the
 * client's write pump). Thread contract: {@link #offer} from any thread; {@link #drain} only from
 * the single consumer; {@link #size} and {@link #isEmpty} from any thread.
 *
 * <p>Designed for fan-out speed: {@link #offer} is lock-free and allocation-free (one CAS on the
 * producer index and one release store into a ring slot), and it fails instead of waiting when the
 * queue is full, which is the hub's signal to drop the client. This is the array-backed MPSC
 * queue of JCTools ({@code MpscArrayQueue}) reduced to what the hub needs: producers claim an index
 * with a CAS, then publish the element into its slot; the consumer takes elements until it finds an
 * empty slot, nulls what it took, and then advances the consumer index, which frees the slots for
 * producers. Producers cache the limit ({@code consumerIndex + capacity}) so that they read the
 * consumer's index only when they appear to have caught up with it.
 *
 * <p>The ring's length is the capacity rounded up to a power of two (for cheap index masking); the
 * bound enforced is the exact capacity.
 */
final class SendQueue {

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_LIMIT;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(EncodedMessage[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(SendQueue.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(SendQueue.class, "producerLimit", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(SendQueue.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Largest capacity: the ring must stay an int-indexed power of two. */
    static final int MAX_CAPACITY = 1 << 30;

    private final EncodedMessage[] slots;
    private final int mask;
    private final int capacity;

    /** Next index a producer claims; advanced by CAS. */
    @SuppressWarnings("unused") // accessed through PRODUCER_INDEX
    private volatile long producerIndex;
    /** A producer's cached view of {@code consumerIndex + capacity}; never above the true limit. */
    @SuppressWarnings("unused") // accessed through PRODUCER_LIMIT
    private volatile long producerLimit;
    /** Next index the consumer takes; written only by the consumer. */
    @SuppressWarnings("unused") // accessed through CONSUMER_INDEX
    private volatile long consumerIndex;

    SendQueue(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        int ringLength = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        this.slots = new EncodedMessage[ringLength];
        this.mask = ringLength - 1;
        this.capacity = capacity;
        this.producerLimit = capacity;
    }

    /** The most messages this queue holds. */
    int capacity() {
        return capacity;
    }

    /** Queues {@code message}; false, without waiting, when the queue already holds {@link #capacity()} messages. */
    boolean offer(EncodedMessage message) {
        long limit = (long) PRODUCER_LIMIT.getOpaque(this);
        long index;
        do {
            index = (long) PRODUCER_INDEX.getVolatile(this);
            if (index >= limit) {
                limit = (long) CONSUMER_INDEX.getAcquire(this) + capacity;
                if (index >= limit) {
                    return false;
                }
                // A racing producer may store an older, smaller limit: harmless, it only costs a re-read.
                PRODUCER_LIMIT.setOpaque(this, limit);
            }
        } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
        SLOTS.setRelease(slots, (int) index & mask, message);
        return true;
    }

    /**
     * Moves up to {@code max} messages, oldest first, into {@code into[0..n)} and returns n. Consumer
     * only. May return 0 while {@link #size()} is positive: a producer has claimed a slot and not
     * yet filled it; call again shortly.
     */
    int drain(EncodedMessage[] into, int max) {
        long index = (long) CONSUMER_INDEX.get(this);
        int n = 0;
        while (n < max) {
            int slot = (int) index & mask;
            EncodedMessage message = (EncodedMessage) SLOTS.getAcquire(slots, slot);
            if (message == null) {
                break;
            }
            SLOTS.set(slots, slot, null);
            into[n++] = message;
            index++;
        }
        if (n > 0) {
            // Release: the nulled slots are visible to a producer that sees the new index.
            CONSUMER_INDEX.setRelease(this, index);
        }
        return n;
    }

    /** Throws away everything queued now. Consumer only. */
    void discard(EncodedMessage[] scratch) {
        int n;
        while ((n = drain(scratch, scratch.length)) > 0) {
            java.util.Arrays.fill(scratch, 0, n, null);
        }
    }

    /** Messages queued (claimed by producers) and not yet taken; a moment's view from any thread. */
    int size() {
        long consumer = (long) CONSUMER_INDEX.getVolatile(this);
        long producer = (long) PRODUCER_INDEX.getVolatile(this);
        long size = producer - consumer;
        return size <= 0 ? 0 : (int) Math.min(size, capacity);
    }

    /**
     * True when no producer has claimed a slot the consumer has not taken. A volatile read of the
     * producer index: the write pump's park handshake relies on it (see {@link Client}).
     */
    boolean isEmpty() {
        return (long) PRODUCER_INDEX.getVolatile(this) == (long) CONSUMER_INDEX.getVolatile(this);
    }
}
