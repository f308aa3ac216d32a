package dev.chatengine.bench.load;

import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client WebSocket connection of the load generator: its socket, where it is in the handshake,
 * its decoder and the bytes of a frame that has not fully arrived.
 *
 * <p>Thread contract: everything but {@link #send} belongs to the {@link IoLoop} that owns the
 * connection. {@link #send} may be called from any thread (a sender, or the loop for pongs and the
 * login); it serializes writes with a lock so that frames never interleave.
 */
final class ClientConnection {

    /** Where the connection is. */
    enum State { CONNECTING, HANDSHAKE, LOGIN, OPEN, CLOSED }

    /** Longest one {@link #send} may wait for socket buffer space before it gives up. */
    private static final long SEND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a sender parks between attempts while the socket buffer is full. */
    private static final long SEND_RETRY_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    final int index;
    final String name;
    SocketChannel channel;
    SelectionKey key;
    State state = State.CONNECTING;
    int attempts;
    String webSocketKey;
    WebSocketDecoder decoder;
    /** Bytes read but not yet consumed (a partial frame or partial handshake response); lazily allocated. */
    byte[] leftover;
    int leftoverLength;
    boolean probed;
    long received;

    private final ReentrantLock writeLock = new ReentrantLock();

    ClientConnection(int index, String name) {
        this.index = index;
        this.name = name;
    }

    /** True after the handshake and until the connection closes: frames are being decoded. */
    boolean isLive() {
        return state == State.OPEN || state == State.LOGIN;
    }

    /**
     * Sends one text message as a masked client frame (RFC 6455 section 5.3: a fresh random key for
     * every frame). Blocks while the socket buffer is full, up to {@value #SEND_TIMEOUT_NANOS} ns.
     */
    void send(byte[] text) throws IOException {
        writeFrame(FrameEncoder.clientFrame(Opcode.TEXT, text, ThreadLocalRandom.current().nextInt()));
    }

    /** Sends a pong that answers a ping carrying {@code payload}. */
    void pong(byte[] payload) throws IOException {
        writeFrame(FrameEncoder.clientFrame(Opcode.PONG, payload, ThreadLocalRandom.current().nextInt()));
    }

    /** Sends a close frame with status 1000 if the socket takes it at once; never blocks. */
    void closeQuietly() {
        SocketChannel ch = channel;
        if (ch == null) {
            return;
        }
        if (state == State.OPEN || state == State.LOGIN) {
            byte[] normal = {0x03, (byte) 0xE8}; // 1000, big-endian
            byte[] frame = FrameEncoder.clientFrame(Opcode.CLOSE, normal, ThreadLocalRandom.current().nextInt());
            if (writeLock.tryLock()) {
                try {
                    ch.write(ByteBuffer.wrap(frame));
                } catch (IOException | RuntimeException e) {
                    // best effort: the socket closes next anyway
                } finally {
                    writeLock.unlock();
                }
            }
        }
        state = State.CLOSED;
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Writes raw bytes (the handshake request); same blocking rules as {@link #send}. */
    void writeRaw(byte[] bytes) throws IOException {
        writeFrame(bytes);
    }

    private void writeFrame(byte[] frame) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(frame);
        writeLock.lock();
        try {
            long deadline = 0;
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    // The channel is non-blocking (it belongs to a selector): wait for buffer space.
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + SEND_TIMEOUT_NANOS;
                    } else if (now - deadline > 0) {
                        throw new IOException("socket send buffer full for 5 s");
                    }
                    LockSupport.parkNanos(SEND_RETRY_PARK_NANOS);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Keeps {@code buf}'s remaining bytes for the next read. */
    void keepLeftover(ByteBuffer buf) {
        int n = buf.remaining();
        if (n == 0) {
            leftoverLength = 0;
            if (leftover != null && leftover.length > 4096) {
                leftover = null; // a big message came through once; do not keep its buffer forever
            }
            return;
        }
        if (leftover == null || leftover.length < n) {
            leftover = new byte[Math.max(n, 512)];
        }
        buf.get(leftover, 0, n);
        leftoverLength = n;
    }
}
