package dev.chatengine.transport.jdk.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A small shared pool of zlib streams ({@link Inflater}s or {@link Deflater}s), so that a connection
 * borrows one for the length of one message instead of keeping one while idle (each holds native
 * memory: about 40 KiB for an inflater once used, about 256 KiB for a deflater) and instead of
 * creating and ending one per message. Thread-safe, lock-free.
 *
 * <p>{@link #borrow()} never fails: when every pooled stream is out it makes a new one;
 * {@link #release} resets the stream and keeps it when a slot is free, else ends it at once. So the
 * pool holds at most {@link #capacity()} idle streams whatever the number of connections.
 */
final class ZlibPool<T> {
    /** Idle streams kept per pool: a few per core, as only running threads use them. */
    static final int CAPACITY = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    /** Raw-DEFLATE inflaters (RFC 7692 messages carry no zlib header). */
    static final ZlibPool<Inflater> INFLATERS = new ZlibPool<>(CAPACITY, () -> new Inflater(true), Inflater::reset, Inflater::end);

    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final Consumer<T> end;

    ZlibPool(int capacity, Supplier<T> factory, Consumer<T> reset, Consumer<T> end) {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.factory = factory;
        this.reset = reset;
        this.end = end;
    }

    /** Raw-DEFLATE deflaters at {@code level}, for one encoder. */
    static ZlibPool<Deflater> deflaters(int level) {
        return new ZlibPool<>(CAPACITY, () -> new Deflater(level, true), Deflater::reset, Deflater::end);
    }

    /** The most idle streams the pool keeps. */
    int capacity() {
        return slots.length();
    }

    /** A fresh (reset) stream, pooled or new; give it back with {@link #release}. */
    T borrow() {
        int start = (int) (Thread.currentThread().threadId() % slots.length());
        for (int i = 0; i < slots.length(); i++) {
            int slot = (start + i) % slots.length();
            T stream = slots.get(slot);
            if (stream != null && slots.compareAndSet(slot, stream, null)) {
                return stream;
            }
        }
        return factory.get();
    }

    /** Resets {@code stream} and keeps it for the next borrower, or ends it when the pool is full. */
    void release(T stream) {
        reset.accept(stream);
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, stream)) {
                return;
            }
        }
        end.accept(stream);
    }

    /** Idle streams held now (for tests and metrics). */
    int idle() {
        int idle = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                idle++;
            }
        }
        return idle;
    }
}
