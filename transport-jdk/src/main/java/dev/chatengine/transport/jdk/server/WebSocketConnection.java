package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;
import dev.chatengine.engine.ApplicationClose;
import dev.chatengine.engine.Attributes;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.protocol.CloseStatus;
import dev.chatengine.transport.jdk.protocol.DeflateParameters;
import dev.chatengine.transport.jdk.protocol.DeflateSender;
import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One server-side WebSocket, made by {@link WebSocketHandler} after a successful handshake and
 * handed to its {@code onConnection} callback: the engine's {@link Connection} over RFC 6455.
 *
 * <p>Thread contract (that of {@link Connection}): {@link #read()} from one thread at a time (the
 * read pump); {@link #write}, {@link #ping()} and {@link #close} from any thread, serialized by one
 * lock that the read pump's own control replies (pong, close echo) take too, so that frames never
 * interleave on the wire; {@link #abort()} and the accessors from any thread.
 *
 * <p>Protocol behaviour: pings are answered with a pong of the same payload inside {@link #read()};
 * a peer's close is echoed with its code and the socket is then closed by us (RFC 6455 section
 * 7.1.1); a protocol violation is answered with a close frame carrying its code (1002, 1007 bad
 * UTF-8, 1009 too big) and ends the connection; after our own close frame, the peer has
 * {@link WebSocketConfig#closeTimeout()} to answer before the socket is cut off. Messages written
 * after the close frame are dropped, as RFC 6455 section 5.5.1 forbids sending them.
 *
 * <p>Memory: an idle connection keeps a read buffer of {@value WebSocketConfig#IDLE_READ_BUFFER_BYTES}
 * bytes; while data flows the buffer grows to {@link WebSocketConfig#readBufferBytes()} and shrinks
 * back when it calms down. Writes are gathering writes of the encoded frames themselves, with no
 * per-connection write buffer.
 */
public final class WebSocketConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());

    /** The longest frame header: 2 bytes, 8 of extended length, 4 of mask. */
    private static final int MAX_FRAME_HEADER_BYTES = 14;
    private static final byte[] EMPTY = new byte[0];

    private final Wire wire;
    private final WebSocketConfig config;
    private final WebSocketDecoder decoder;
    private final String remoteAddress;
    private final URI requestUri;
    private final Headers requestHeaders;
    private final Optional<String> subprotocol;
    private final Optional<Principal> principal;
    private final Attributes attributes;
    /** permessage-deflate, when negotiated: the agreed parameters and the write side's form picker (else null). */
    private final Optional<DeflateParameters> deflate;
    private final DeflateSender deflateSender;

    /** Serializes every write to the wire: the write pump's and the read pump's control replies. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Held by the thread inside {@link #read()}, so that the session's end never reads beside it. */
    private final ReentrantLock readLock = new ReentrantLock();

    private boolean closeSent; // guarded by writeLock
    private volatile DisconnectReason localCloseReason; // set when we started the close
    private volatile boolean socketClosed;
    private volatile ScheduledFuture<?> cutoff;

    // Read pump only (guarded by readLock).
    private ByteBuffer readBuffer; // in read mode between calls
    private boolean lastReadFilledBuffer;
    private Inbound.Closed terminal;

    WebSocketConnection(Wire wire, WebSocketConfig config, byte[] pipelined, String remoteAddress, URI requestUri,
                        Headers requestHeaders, Optional<String> subprotocol, HandshakeDecision.Accept identity,
                        Optional<DeflateParameters> deflate) {
        this.wire = wire;
        this.config = config;
        this.decoder = new WebSocketDecoder(Role.SERVER, config.maxMessageBytes(), deflate);
        this.deflate = deflate;
        this.deflateSender = deflate.map(p -> new DeflateSender(p, config.deflate())).orElse(null);
        this.remoteAddress = remoteAddress;
        this.requestUri = requestUri;
        this.requestHeaders = requestHeaders; // the exchange's, already unmodifiable: no copy per connection
        this.subprotocol = subprotocol;
        this.principal = identity.principal();
        this.attributes = identity.attributes();
        this.readBuffer = ByteBuffer.allocate(Math.max(WebSocketConfig.IDLE_READ_BUFFER_BYTES, pipelined.length));
        readBuffer.put(pipelined).flip();
    }

    /**
     * Blocks until the next message, pong, or the end of the connection. Never throws: a failed or
     * vanished connection is {@code Closed(CONNECTION_LOST)}; a peer's close is
     * {@code Closed(PEER_CLOSED)}; a protocol violation {@code Closed(PROTOCOL_ERROR)} or
     * {@code Closed(MESSAGE_TOO_BIG)}; when we started the close, the reason we gave. After
     * {@code Closed}, further calls return the same value at once.
     */
    @Override
    public Inbound read() {
        readLock.lock();
        try {
            return terminal != null ? terminal : readNext();
        } finally {
            readLock.unlock();
        }
    }

    private Inbound readNext() {
        try {
            while (true) {
                ReadEvent event = decoder.next(readBuffer);
                if (event == null) {
                    if (!fill()) {
                        abort();
                        return end(localCloseReason != null ? localCloseReason : DisconnectReason.CONNECTION_LOST);
                    }
                    continue;
                }
                switch (event) {
                    case ReadEvent.Message message -> {
                        return message.text() ? new Inbound.Text(message.payload()) : new Inbound.Binary(message.payload());
                    }
                    case ReadEvent.Ping ping -> pong(ping.payload());
                    case ReadEvent.Pong ignored -> {
                        return new Inbound.Pong();
                    }
                    case ReadEvent.Close close -> {
                        return onPeerClose(close.status());
                    }
                }
            }
        } catch (ProtocolException e) {
            return onProtocolError(e);
        } catch (IOException | RuntimeException e) {
            if (!socketClosed) {
                LOG.log(Level.DEBUG, () -> "WebSocket read failed, " + remoteAddress + ": " + e);
            }
            abort();
            return end(localCloseReason != null ? localCloseReason : DisconnectReason.CONNECTION_LOST);
        }
    }

    private Inbound.Closed end(DisconnectReason reason) {
        decoder.close(); // gives back an inflater a message in progress borrowed (permessage-deflate)
        terminal = new Inbound.Closed(reason);
        return terminal;
    }

    private void pong(byte[] payload) throws IOException {
        writeLock.lock();
        try {
            if (!closeSent) { // after our close frame only the peer's close matters
                writeFrames(FrameEncoder.serverFrame(Opcode.PONG, payload));
            }
        } finally {
            writeLock.unlock();
        }
    }

    private Inbound onPeerClose(CloseStatus status) {
        writeLock.lock();
        try {
            if (!closeSent && !socketClosed) {
                closeSent = true;
                writeFrames(FrameEncoder.closeFrame(new CloseStatus(status.code(), ""))); // echo the code
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "WebSocket close echo failed, " + remoteAddress + ": " + e);
        } finally {
            writeLock.unlock();
        }
        abort(); // RFC 6455 7.1.1: the server closes the TCP connection first
        return end(localCloseReason != null ? localCloseReason : DisconnectReason.PEER_CLOSED);
    }

    private Inbound onProtocolError(ProtocolException e) {
        CloseStatus status = e.closeStatus();
        LOG.log(Level.DEBUG, () -> "WebSocket protocol error, " + remoteAddress + ": " + status);
        if (sendClose(status, null)) {
            // Half-close so that the peer reads our close frame and then the end, rather than a reset for
            // the bytes it may still send; the session's end drains those, bounded by the close timeout.
            wire.shutdownOutput();
        }
        return end(status.code() == CloseStatus.MESSAGE_TOO_BIG
                ? DisconnectReason.MESSAGE_TOO_BIG : DisconnectReason.PROTOCOL_ERROR);
    }

    /**
     * Makes room in the read buffer and reads once. The buffer shrinks back to the idle size when all
     * was consumed and the last read did not fill it; it grows when a read filled it (more is coming)
     * or when the decoder needs more bytes than it holds.
     */
    private boolean fill() throws IOException {
        ByteBuffer buffer = readBuffer.compact();
        int idle = WebSocketConfig.IDLE_READ_BUFFER_BYTES;
        if (buffer.position() == 0 && !lastReadFilledBuffer && buffer.capacity() > idle) {
            buffer = ByteBuffer.allocate(idle);
        } else if (!buffer.hasRemaining()) {
            int limit = config.maxMessageBytes() + MAX_FRAME_HEADER_BYTES;
            if (buffer.capacity() >= limit) {
                throw new IOException("decoder needs more than " + limit + " buffered bytes");
            }
            buffer = grow(buffer, Math.min(limit, Math.max(buffer.capacity() * 2, config.readBufferBytes())));
        } else if (lastReadFilledBuffer && buffer.capacity() < config.readBufferBytes()) {
            buffer = grow(buffer, config.readBufferBytes());
        }
        readBuffer = buffer;
        int n;
        try {
            n = wire.read(buffer);
        } finally {
            buffer.flip();
        }
        lastReadFilledBuffer = buffer.limit() == buffer.capacity();
        return n >= 0;
    }

    private static ByteBuffer grow(ByteBuffer writeMode, int capacity) {
        return ByteBuffer.allocate(capacity).put(writeMode.flip());
    }

    /**
     * Writes the frames in one socket write where it can (see {@link Wire#write(EncodedMessage[], int)}). Blocks until written. Frames written after
     * the close frame are dropped silently (RFC 6455 forbids sending them).
     *
     * @throws IOException when the socket failed or was closed; the socket is then aborted
     */
    @Override
    public void write(EncodedMessage[] batch, int count) throws IOException {
        writeLock.lock();
        try {
            if (socketClosed) {
                throw new IOException("WebSocket closed");
            }
            if (!closeSent) {
                wire.write(deflateSender == null ? batch : deflateSender.select(batch, count), count);
            }
        } catch (IOException e) {
            abort();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends an empty ping; nothing once the close frame was sent. */
    @Override
    public void ping() throws IOException {
        writeLock.lock();
        try {
            if (socketClosed) {
                throw new IOException("WebSocket closed");
            }
            if (!closeSent) {
                writeFrames(FrameEncoder.serverFrame(Opcode.PING, EMPTY));
            }
        } catch (IOException e) {
            abort();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends the close frame for {@code reason} (see {@link #closeStatusFor}) unless one was sent, then
     * cuts the socket off if the peer has not answered within the close timeout. Idempotent;
     * callable from any thread; blocks at most as long as one write.
     */
    @Override
    public void close(DisconnectReason reason) {
        sendClose(closeStatusFor(reason), reason);
    }

    /** Sends exactly the application's code and reason ({@code Client.close(int, String)}). */
    @Override
    public void close(ApplicationClose close) {
        sendClose(new CloseStatus(close.code(), close.reason()), DisconnectReason.APPLICATION);
    }

    /** Sends {@code status} as our close frame, once; returns false when one was already sent. */
    boolean sendClose(CloseStatus status, DisconnectReason reason) {
        writeLock.lock();
        try {
            if (closeSent || socketClosed) {
                return false;
            }
            closeSent = true;
            localCloseReason = reason;
            writeFrames(FrameEncoder.closeFrame(status));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "WebSocket close failed, " + remoteAddress + ": " + e);
            abort();
            return false;
        } finally {
            writeLock.unlock();
        }
        cutoff = CloseTimer.schedule(this::cutOff, config.closeTimeout());
        if (socketClosed) {
            cutoff.cancel(false); // lost a race with abort(): nothing left to cut
        }
        return true;
    }

    private void cutOff() {
        if (!socketClosed) {
            LOG.log(Level.DEBUG, () -> "WebSocket peer did not answer close within " + config.closeTimeout()
                    + ", cut off: " + remoteAddress);
            abort();
        }
    }

    /** The close frame for an engine's reason; 1005, 1006 and 1015 are never among them. */
    static CloseStatus closeStatusFor(DisconnectReason reason) {
        return switch (reason) {
            case SLOW_CONSUMER -> new CloseStatus(CloseStatus.POLICY_VIOLATION, "slow consumer");
            case WRITE_TIMEOUT -> new CloseStatus(CloseStatus.POLICY_VIOLATION, "write timeout");
            case IDLE_TIMEOUT -> new CloseStatus(CloseStatus.GOING_AWAY, "idle timeout");
            case SHUTDOWN -> new CloseStatus(CloseStatus.GOING_AWAY, "going away");
            case POLICY -> new CloseStatus(CloseStatus.POLICY_VIOLATION, "");
            case APPLICATION -> new CloseStatus(CloseStatus.NORMAL, ""); // without its code; close(ApplicationClose) has it
            case MEMORY_BUDGET -> new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "try again later");
            case SERVER_ERROR -> new CloseStatus(CloseStatus.INTERNAL_ERROR, "internal error");
            case UNSUPPORTED_DATA -> new CloseStatus(CloseStatus.UNSUPPORTED_DATA, "");
            case PROTOCOL_ERROR -> new CloseStatus(CloseStatus.PROTOCOL_ERROR, "");
            case MESSAGE_TOO_BIG -> new CloseStatus(CloseStatus.MESSAGE_TOO_BIG, "");
            case PEER_CLOSED, CONNECTION_LOST -> new CloseStatus(CloseStatus.NORMAL, "");
        };
    }

    /** Closes the socket now, from any thread; a blocked read returns {@code Closed}, a blocked write throws. */
    @Override
    public void abort() {
        socketClosed = true;
        wire.close();
        if (deflateSender != null) {
            deflateSender.close(); // ends the connection's own deflater under server context takeover
        }
        ScheduledFuture<?> pending = cutoff;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** The peer's address, for example {@code 127.0.0.1:53122}. */
    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The handshake request's URI (path and query), for example {@code /ws/chat?room=lobby}. */
    public URI requestUri() {
        return requestUri;
    }

    /** The handshake request's headers, read-only. */
    public Headers requestHeaders() {
        return requestHeaders;
    }

    /** Who the peer is, as the {@link HandshakeHook} decided; empty for an anonymous peer. */
    @Override
    public Optional<Principal> principal() {
        return principal;
    }

    /** The attributes the {@link HandshakeHook} gave this connection. */
    @Override
    public Attributes attributes() {
        return attributes;
    }

    /** The subprotocol the {@link SubprotocolSelector} chose, if any. */
    public Optional<String> subprotocol() {
        return subprotocol;
    }

    /** The permessage-deflate parameters agreed in the handshake (RFC 7692), or empty when not negotiated. */
    public Optional<DeflateParameters> deflate() {
        return deflate;
    }

    /** True once the socket is closed. */
    public boolean isClosed() {
        return socketClosed;
    }

    /**
     * Ends the session after the application's callback returned: finishes the close handshake it
     * left open (sending 1000, or 1011 when it failed), drains what the peer still sends after a
     * protocol error, and closes the socket. Bounded by the close timeout. Called once, by the handler.
     */
    void endSession(boolean applicationFailed) {
        if (socketClosed) {
            return;
        }
        sendClose(new CloseStatus(applicationFailed ? CloseStatus.INTERNAL_ERROR : CloseStatus.NORMAL, ""), null);
        if (readLock.tryLock()) { // else another thread reads; it ends with the close answer or the cutoff
            try {
                if (terminal == null) {
                    while (!(read() instanceof Inbound.Closed)) {
                        // The application no longer wants messages: discard them until the peer's close.
                    }
                } else {
                    drain();
                }
            } finally {
                readLock.unlock();
            }
        }
        abort();
    }

    /** Reads and discards until the peer's end of stream; the close cutoff bounds it. */
    private void drain() {
        ByteBuffer sink = readBuffer.clear();
        try {
            while (!socketClosed && wire.read(sink.clear()) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // Cut off or reset: the socket is done either way.
        }
    }

    private void writeFrames(byte[] frame) throws IOException {
        wire.write(new ByteBuffer[] {ByteBuffer.wrap(frame)}, 1);
    }

    @Override
    public String toString() {
        return "WebSocketConnection[" + remoteAddress + " " + requestUri + "]";
    }
}
