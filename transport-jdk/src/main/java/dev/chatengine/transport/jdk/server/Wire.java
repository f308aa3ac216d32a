package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.transport.EncodedMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte pipe under one WebSocket: the socket channel itself for plain HTTP, the exchange's raw
 * streams (which hold the SSL engine) for TLS. Reads come from one thread and writes from one other
 * (the caller serializes writes); {@link #close()} may come from any thread and unblocks both.
 */
sealed interface Wire permits Wire.ChannelWire, Wire.StreamWire {

    /** Reads into {@code dst} (in write mode), blocking until at least one byte; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all of {@code srcs[0..count)}, as far as possible in one system call, blocking until done. */
    void write(ByteBuffer[] srcs, int count) throws IOException;

    /** Writes the wire bytes of {@code batch[0..count)} in order, as far as possible in one system call, blocking until done. */
    void write(EncodedMessage[] batch, int count) throws IOException;

    /** Half-closes: sends FIN after what was written, so that the peer reads the end; reading continues. */
    void shutdownOutput();

    /** Closes the socket now; idempotent. */
    void close();

    /** Plain HTTP: the blocking {@link SocketChannel}, with gathering writes. */
    record ChannelWire(SocketChannel channel) implements Wire {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public void write(ByteBuffer[] srcs, int count) throws IOException {
            int first = 0;
            while (first < count) {
                channel.write(srcs, first, count - first); // a blocking channel may still write partially
                while (first < count && !srcs[first].hasRemaining()) {
                    first++;
                }
            }
        }

        /** Copies the batch into a pooled direct buffer and writes that; if none is free or the batch is large, a gathering write. */
        @Override
        public void write(EncodedMessage[] batch, int count) throws IOException {
            long total = 0;
            for (int i = 0; i < count; i++) {
                total += batch[i].length();
            }
            DirectBufferPool pool = DirectBufferPool.SHARED;
            ByteBuffer direct = total <= pool.bufferBytes() ? pool.acquire() : null;
            if (direct == null) {
                ByteBuffer[] srcs = new ByteBuffer[count];
                for (int i = 0; i < count; i++) {
                    srcs[i] = ByteBuffer.wrap(batch[i].wireBytes());
                }
                write(srcs, count);
                return;
            }
            try {
                for (int i = 0; i < count; i++) {
                    direct.put(batch[i].wireBytes());
                }
                direct.flip();
                while (direct.hasRemaining()) {
                    channel.write(direct);
                }
            } finally {
                pool.release(direct);
            }
        }

        @Override
        public void shutdownOutput() {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                close();
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing is best effort; the channel is unusable either way.
            }
        }
    }

    /**
     * TLS: the exchange's raw streams; {@code out} buffers, so several frames become one TLS record
     * and one socket write when flushed together. Closing closes the channel under them, which fails
     * any blocked read or write.
     */
    record StreamWire(InputStream in, OutputStream out, SocketChannel channel) implements Wire {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        public void write(ByteBuffer[] srcs, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                ByteBuffer src = srcs[i];
                out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
                src.position(src.limit());
            }
            out.flush();
        }

        @Override
        public void write(EncodedMessage[] batch, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                out.write(batch[i].wireBytes());
            }
            out.flush();
        }

        @Override
        public void shutdownOutput() {
            // A TCP half-close under TLS would cut the record stream; the peer's close or the close timeout ends it.
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // As above.
            }
        }
    }
}
