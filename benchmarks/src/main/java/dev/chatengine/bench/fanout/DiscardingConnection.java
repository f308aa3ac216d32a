package dev.chatengine.bench.fanout;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory {@link Connection} whose peer never speaks and whose writes go nowhere: the write
 * pump hands it bytes, it counts them and drops them. What remains of a broadcast is the engine's
 * own work: queueing, waking the write pump, batching.
 *
 * <p>Thread contract: as {@link Connection} says. {@link #read()} blocks its read pump (a virtual
 * thread) until the connection is closed or aborted; {@link #write} is called by the write pump;
 * {@link #messagesWritten()} may be read from any thread.
 */
public final class DiscardingConnection implements Connection {

    private static final VarHandle MESSAGES;

    static {
        try {
            MESSAGES = MethodHandles.lookup().findVarHandle(DiscardingConnection.class, "messages", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile DisconnectReason closeReason;
    /** Written only by the write pump; published with release semantics for {@link #messagesWritten()}. */
    @SuppressWarnings("unused") // through MESSAGES
    private long messages;
    private long bytes;

    public DiscardingConnection(int id) {
        this.id = id;
    }

    @Override
    public Inbound read() throws IOException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        DisconnectReason reason = closeReason;
        return new Inbound.Closed(reason == null ? DisconnectReason.CONNECTION_LOST : reason);
    }

    @Override
    public void write(EncodedMessage[] batch, int count) throws IOException {
        if (closed.getCount() == 0) {
            throw new IOException("closed");
        }
        long b = bytes;
        for (int i = 0; i < count; i++) {
            b += batch[i].length();
        }
        bytes = b;
        MESSAGES.setRelease(this, (long) MESSAGES.get(this) + count);
    }

    @Override
    public void ping() {
        // the peer is imaginary; nothing to keep alive
    }

    @Override
    public void close(DisconnectReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        closed.countDown();
    }

    @Override
    public void abort() {
        close(DisconnectReason.CONNECTION_LOST);
    }

    @Override
    public String remoteAddress() {
        return "in-memory:" + id;
    }

    /** Messages the write pump has handed over so far. */
    public long messagesWritten() {
        return (long) MESSAGES.getAcquire(this);
    }

    /** Wire bytes handed over so far; read it only from the write pump or after the pump has ended. */
    public long bytesWritten() {
        return bytes;
    }
}
