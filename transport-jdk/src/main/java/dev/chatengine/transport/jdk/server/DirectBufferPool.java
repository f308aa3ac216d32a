package dev.chatengine.transport.jdk.server;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small shared pool of direct buffers for batched socket writes. Thread-safe, lock-free.
 *
 * <p>Why: a socket write from a heap buffer makes the JDK copy it into a temporary direct buffer
 * first; copying a batch of frames straight into a pooled direct buffer saves that copy and the
 * allocation of a joined array per write. The pool is shared by all connections, not one buffer per
 * connection, so an idle connection costs nothing: a write takes a buffer only for as long as it
 * runs. When every buffer is taken (for example by writes blocked on slow peers), {@link #acquire()}
 * answers null and the caller writes from the heap instead.
 */
final class DirectBufferPool {

    /** The pool the server's connections share: a few buffers per core. */
    static final DirectBufferPool SHARED = new DirectBufferPool(4 * Runtime.getRuntime().availableProcessors(), 64 * 1024);

    private final AtomicReferenceArray<ByteBuffer> slots;
    private final int bufferBytes;

    DirectBufferPool(int buffers, int bufferBytes) {
        this.slots = new AtomicReferenceArray<>(buffers);
        this.bufferBytes = bufferBytes;
        for (int i = 0; i < buffers; i++) {
            slots.set(i, ByteBuffer.allocateDirect(bufferBytes));
        }
    }

    /** The size of every buffer; a batch larger than this is not written through the pool. */
    int bufferBytes() {
        return bufferBytes;
    }

    /** A cleared buffer, or null when all are in use. Give it back with {@link #release}. */
    ByteBuffer acquire() {
        int start = (int) (Thread.currentThread().threadId() % slots.length());
        for (int i = 0; i < slots.length(); i++) {
            int slot = (start + i) % slots.length();
            ByteBuffer buffer = slots.get(slot);
            if (buffer != null && slots.compareAndSet(slot, buffer, null)) {
                return buffer.clear();
            }
        }
        return null;
    }

    /** Returns a buffer taken with {@link #acquire()}. */
    void release(ByteBuffer buffer) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, buffer)) {
                return;
            }
        }
    }
}
