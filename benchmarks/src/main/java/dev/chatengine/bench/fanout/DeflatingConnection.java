package dev.chatengine.bench.fanout;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.DeflateSender;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory {@link Connection} like {@link DiscardingConnection}, whose writes first pick each
 * message's form with a {@link DeflateSender} (null: plain), as {@code WebSocketConnection} does
 * for a client that negotiated permessage-deflate, then count and drop the bytes.
 *
 * <p>Thread contract: as {@link Connection} says; {@link #messagesWritten()} and
 * {@link #bytesWritten()} from any thread.
 */
public final class DeflatingConnection implements Connection {
    private final int id;
    private final DeflateSender sender;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long messages;
    private volatile long bytes;

    public DeflatingConnection(int id, DeflateSender sender) {
        this.id = id;
        this.sender = sender;
    }

    @Override
    public Inbound read() throws IOException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Inbound.Closed(DisconnectReason.SHUTDOWN);
    }

    @Override
    public void write(EncodedMessage[] batch, int count) throws IOException {
        if (closed.getCount() == 0) {
            throw new IOException("closed");
        }
        EncodedMessage[] chosen = sender == null ? batch : sender.select(batch, count);
        long b = bytes;
        for (int i = 0; i < count; i++) {
            b += chosen[i].length();
        }
        bytes = b;
        messages = messages + count; // only the write pump writes it
    }

    @Override
    public void ping() {
    }

    @Override
    public void close(DisconnectReason reason) {
        closed.countDown();
    }

    @Override
    public void abort() {
        closed.countDown();
    }

    @Override
    public String remoteAddress() {
        return "in-memory:" + id;
    }

    public long messagesWritten() {
        return messages;
    }

    public long bytesWritten() {
        return bytes;
    }
}
