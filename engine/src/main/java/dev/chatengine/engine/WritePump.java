package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;

import java.io.IOException;
import java.util.Arrays;

/**
 * A client's write pump: the only code that writes to the client's connection. Runs on its own
 * virtual thread ({@code chat-write-<id>}), one per client, from {@link Hub#serve} until the client
 * has closed.
 *
 * <p>Loop: take up to {@link HubConfig#maxBatchMessages()} queued messages and hand them to the
 * transport in one {@link Connection#write} call (one socket write); ping every
 * {@link HubConfig#pingPeriod()} whether or not there is traffic (a client that only listens still
 * has to answer, or the pong wait drops it); park when there is nothing to do. When the client
 * closes: discard the queue, send the transport's close, end.
 */
final class WritePump implements Runnable {

    private static final System.Logger LOG = System.getLogger(WritePump.class.getName());

    /** The first batch array's length: enough for a client that gets a message now and then. */
    static final int INITIAL_BATCH_MESSAGES = 8;

    private final Client client;
    private final Connection connection;
    private final SendQueue queue;
    private final HubMetrics metrics;
    private final int batchLength;
    private final long pingPeriodNanos;
    /**
     * Allocated on the first write, so that an idle client costs no batch array, at
     * {@value #INITIAL_BATCH_MESSAGES} slots; doubled, up to {@code batchLength}, when more is queued,
     * so that only a busy client holds a full-size one.
     */
    private EncodedMessage[] batch;
    /** This client's high-water mark; the hub's gauge is touched only when it grows. */
    private int highWaterMark;

    WritePump(Client client, Connection connection, SendQueue queue, HubConfig config, HubMetrics metrics) {
        this.client = client;
        this.connection = connection;
        this.queue = queue;
        this.metrics = metrics;
        this.batchLength = Math.min(config.maxBatchMessages(), config.sendQueueCapacity());
        this.pingPeriodNanos = config.pingPeriod().toNanos();
    }

    @Override
    public void run() {
        try {
            pumpWhileOpen();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "write to client " + client.id() + " failed: " + e);
            client.close(DisconnectReason.CONNECTION_LOST);
            client.abort();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "write pump of client " + client.id() + " failed", e);
            client.close(DisconnectReason.CONNECTION_LOST);
            client.abort();
        } finally {
            finish();
        }
    }

    private void pumpWhileOpen() throws IOException {
        client.pingDueAt(System.nanoTime() + pingPeriodNanos);
        while (client.isOpen()) {
            int depth = queue.size();
            if (depth > 0) {
                writeBatch(depth);
            } else if (!client.isPingDue(System.nanoTime())) {
                client.awaitWork();
                continue;
            }
            long now = System.nanoTime();
            if (client.isPingDue(now) && client.isOpen()) {
                client.writeStarted();
                try {
                    connection.ping();
                } finally {
                    client.writeEnded();
                }
                client.pingDueAt(now + pingPeriodNanos);
            }
        }
    }

    private void writeBatch(int depth) throws IOException {
        if (depth > highWaterMark) {
            highWaterMark = depth;
            metrics.queueDepthSeen(depth);
        }
        EncodedMessage[] messages = batch;
        if (messages == null || (depth > messages.length && messages.length < batchLength)) {
            messages = batch = new EncodedMessage[batchArrayLength(messages, depth)];
        }
        int count = queue.drain(messages, messages.length);
        if (count == 0) {
            // A producer has claimed a slot but not filled it yet; let it run.
            Thread.yield();
            return;
        }
        if (!client.isOpen()) {
            Arrays.fill(messages, 0, count, null);
            return;
        }
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += messages[i].length();
        }
        client.writeStarted();
        try {
            connection.write(messages, count);
        } finally {
            client.writeEnded();
            Arrays.fill(messages, 0, count, null);
        }
        metrics.batchWritten(count, bytes);
    }

    private int batchArrayLength(EncodedMessage[] current, int depth) {
        int length = current == null ? INITIAL_BATCH_MESSAGES : current.length;
        while (length < depth && length < batchLength) {
            length *= 2;
        }
        return Math.min(length, batchLength);
    }

    /** The close path: nothing queued goes out any more; the transport's close does, unless the connection is cut. */
    private void finish() {
        EncodedMessage[] scratch = batch != null ? batch : new EncodedMessage[Math.min(INITIAL_BATCH_MESSAGES, batchLength)];
        queue.discard(scratch);
        DisconnectReason reason = client.closeReason();
        if (reason == null) {
            // Only an Error thrown past the catch blocks gets here; make the state consistent.
            reason = DisconnectReason.CONNECTION_LOST;
            client.close(reason);
        }
        if (client.isAborted()) {
            return;
        }
        client.writeStarted();
        try {
            connection.close(reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close of client " + client.id() + " failed: " + e);
        } finally {
            client.writeEnded();
        }
    }
}
