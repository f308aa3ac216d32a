package dev.chatengine.engine;

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
 *
 * <p>Bounded in bytes too: the queue counts the wire length of every message it holds (a shared
 * broadcast's full length in each queue that holds it, without copying it) and refuses a message
 * that would take it past {@code maxBytes}, except into an empty queue, so that one message larger
 * than the bound can still be delivered on its own. The byte count is one atomic add per offer and
 * per drain.
 */
final class SendQueue {

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_LIMIT;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle BYTES;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Outgoing[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(SendQueue.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(SendQueue.class, "producerLimit", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(SendQueue.class, "consumerIndex", long.class);
            BYTES = lookup.findVarHandle(SendQueue.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Largest capacity: the ring must stay an int-indexed power of two. */
    static final int MAX_CAPACITY = 1 << 30;

    private final Outgoing[] slots;
    private final int mask;
    private final int capacity;
    private final long maxBytes;

    /** Next index a producer claims; advanced by CAS. */
    @SuppressWarnings("unused") // accessed through PRODUCER_INDEX
    private volatile long producerIndex;
    /** A producer's cached view of {@code consumerIndex + capacity}; never above the true limit. */
    @SuppressWarnings("unused") // accessed through PRODUCER_LIMIT
    private volatile long producerLimit;
    /** Next index the consumer takes; written only by the consumer. */
    @SuppressWarnings("unused") // accessed through CONSUMER_INDEX
    private volatile long consumerIndex;
    /** Wire bytes of the messages claimed by producers and not yet drained; added before the claim. */
    @SuppressWarnings("unused") // accessed through BYTES
    private volatile long bytes;

    SendQueue(int capacity, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        int ringLength = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        this.slots = new Outgoing[ringLength];
        this.mask = ringLength - 1;
        this.capacity = capacity;
        this.producerLimit = capacity;
    }

    /** The most messages this queue holds. */
    int capacity() {
        return capacity;
    }

    /**
     * Queues {@code message}; false, without waiting, when the queue already holds {@link #capacity()}
     * messages, or when the message would take it past its byte bound and it is not empty.
     */
    boolean offer(Outgoing message) {
        int length = message.length;
        long before = (long) BYTES.getAndAdd(this, (long) length);
        if (before > 0 && before + length > maxBytes) {
            BYTES.getAndAdd(this, (long) -length);
            return false;
        }
        if (!claim(message)) {
            BYTES.getAndAdd(this, (long) -length);
            return false;
        }
        return true;
    }

    private boolean claim(Outgoing message) {
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
    int drain(Outgoing[] into, int max) {
        long index = (long) CONSUMER_INDEX.get(this);
        int n = 0;
        long drained = 0;
        while (n < max) {
            int slot = (int) index & mask;
            Outgoing message = (Outgoing) SLOTS.getAcquire(slots, slot);
            if (message == null) {
                break;
            }
            SLOTS.set(slots, slot, null);
            into[n++] = message;
            drained += message.length;
            index++;
        }
        if (n > 0) {
            // Release: the nulled slots are visible to a producer that sees the new index.
            CONSUMER_INDEX.setRelease(this, index);
            BYTES.getAndAdd(this, -drained);
        }
        return n;
    }

    /** Throws away everything queued now, releasing each message. Consumer only. */
    void discard(Outgoing[] scratch) {
        int n;
        while ((n = drain(scratch, scratch.length)) > 0) {
            for (int i = 0; i < n; i++) {
                scratch[i].release();
                scratch[i] = null;
            }
        }
    }

    /** The most wire bytes this queue holds (but see the class comment on a single large message). */
    long maxBytes() {
        return maxBytes;
    }

    /** Wire bytes queued and not yet taken; a moment's view from any thread. */
    long bytes() {
        return Math.max(0, (long) BYTES.getVolatile(this));
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
     * producer index: the write pump's hand-over to idle relies on it (see {@code WritePump.goIdle}).
     */
    boolean isEmpty() {
        return (long) PRODUCER_INDEX.getVolatile(this) == (long) CONSUMER_INDEX.getVolatile(this);
    }
}
