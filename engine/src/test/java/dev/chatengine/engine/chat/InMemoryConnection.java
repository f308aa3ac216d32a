package dev.chatengine.engine.chat;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.engine.transport.MessageEncoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A connection without a wire: the test puts inbound events in one queue and takes what the engine
 * wrote from another, as strings. Its {@link #ENCODER} "encodes" a message as its payload bytes.
 */
final class InMemoryConnection implements Connection {

    /** The wire form is the payload itself, so what a connection writes reads back as the JSON. */
    static final MessageEncoder ENCODER = new MessageEncoder() {
        @Override
        public EncodedMessage text(byte[] utf8) {
            return EncodedMessage.wrap(utf8.clone());
        }

        @Override
        public EncodedMessage binary(byte[] data) {
            return EncodedMessage.wrap(data.clone());
        }
    };

    private static final Inbound ABORTED = new Inbound.Pong(); // a marker that makes read() throw

    private final BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
    final BlockingQueue<String> written = new LinkedBlockingQueue<>();
    volatile DisconnectReason closedWith;

    void receive(Inbound event) {
        inbound.add(event);
    }

    @Override
    public Inbound read() throws IOException {
        try {
            Inbound event = inbound.take();
            if (event == ABORTED) {
                inbound.add(ABORTED); // stay failed
                throw new IOException("aborted");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void write(EncodedMessage[] batch, int count) {
        for (int i = 0; i < count; i++) {
            written.add(new String(batch[i].wireBytes(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void ping() {
    }

    @Override
    public void close(DisconnectReason reason) {
        if (closedWith == null) {
            closedWith = reason;
            inbound.add(new Inbound.Closed(reason)); // the peer answers the close at once
        }
    }

    @Override
    public void abort() {
        inbound.add(ABORTED);
    }

    @Override
    public String remoteAddress() {
        return "in-memory";
    }
}
