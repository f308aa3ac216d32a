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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One server-side WebSocket, made by {@link WebSocketHandler} after a successful handshake and
 * handed to its {@code onConnection} callback: the engine's {@link Connection} over RFC 6455.
 *
 * <p>Thread contract (that of {@link Connection}): {@link #read()} from one thread at a time (the
 * read pump); {@link #write}, {@link #ping()}, {@link #writeControlFrames()} and {@code close} from
 * any thread, serialized by one lock so that frames never interleave on the wire; {@link #abort()},
 * {@link #hasControlFrames()} and the accessors from any thread.
 *
 * <p>One writer: once the engine has called {@link #useWriter} (as {@code Hub.serve} does), the
 * read pump never writes. A ping is answered by queuing its pong (at most
 * {@value #MAX_PENDING_PONGS}; past that the oldest is forgotten, as RFC 6455 section 5.5.3 allows
 * answering only the most recent ping) and waking the write pump, which sends it ahead of queued
 * messages; a peer that floods pings and never reads therefore blocks the writer, not the reader.
 * A peer's close, or a protocol violation, ends {@link #read()} at once and leaves our answer owed:
 * the write pump sends it through {@link #close} after the messages the hub had already accepted
 * (the echo of the peer's code, then the socket closes, RFC 6455 section 7.1.1; or the violation's
 * code, 1002, 1007 bad UTF-8, 1009 too big, then a half-close and the session drains the peer's rest).
 * Without a writer (a callback that uses the connection directly) the read pump answers at once.
 *
 * <p>The close handshake is one field, {@link CloseState}: open, close received (our answer owed),
 * close sent (waiting for the peer's), closed. Each closing state is bounded by
 * {@link WebSocketConfig#closeTimeout()}, after which the socket is cut. Every way the connection
 * ends goes through {@link #finish}: it records why, closes the socket and cancels the timer, once.
 * Messages written after our close frame are dropped, as RFC 6455 section 5.5.1 forbids sending them.
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
    /** Pongs owed at once; 16 x 127 bytes at most. */
    static final int MAX_PENDING_PONGS = 16;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WebSocketConnection.class, "state", CloseState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The close handshake (RFC 6455 section 7): one value, replaced by compare-and-set. */
    sealed interface CloseState {
        /** Messages flow both ways. */
        record Open() implements CloseState {
        }

        /**
         * The peer closed ({@code peerClosed}) or broke the protocol: {@link #read()} has ended with
         * {@code reason}, and our close frame {@code answer} is owed, after what was already queued.
         */
        record Received(CloseStatus answer, DisconnectReason reason, boolean peerClosed) implements CloseState {
        }

        /** Our close frame is out; the peer's answer (or end of stream) is awaited until the cutoff. */
        record Sent(DisconnectReason reason) implements CloseState {
        }

        /** Over: the socket is closed. */
        record Closed(DisconnectReason reason) implements CloseState {
        }
    }

    private static final CloseState OPEN = new CloseState.Open();

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

    /** Serializes every write to the wire. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Held by the thread inside {@link #read()}, so that the session's end never reads beside it. */
    private final ReentrantLock readLock = new ReentrantLock();

    /** The close handshake; see {@link CloseState}. */
    private volatile CloseState state = OPEN;
    /** Cuts the socket when a closing state outlives the close timeout; cancelled by {@link #finish}. */
    private volatile ScheduledFuture<?> cutoff;

    /** Set once by the engine ({@link #useWriter}); null while the read pump answers by itself. */
    private volatile Runnable wakeWriter;
    private final ReentrantLock pongLock = new ReentrantLock();
    private final ArrayDeque<byte[]> pendingPongs = new ArrayDeque<>(2); // guarded by pongLock
    private volatile int pendingPongCount;

    // Read pump only (guarded by readLock).
    private ByteBuffer readBuffer; // in read mode between calls
    /** Reads in a row that brought little: a measure of the traffic, for the buffer's size. */
    private int lightReads;
    private boolean lastReadFilledBuffer;
    /** Reads since {@link #readNext} last produced an event: above 0 the peer is in the middle of a frame. */
    private int readsSinceEvent;
    private Inbound.Closed terminal;

    WebSocketConnection(Wire wire, WebSocketConfig config, byte[] pipelined, String remoteAddress, URI requestUri,
                        Headers requestHeaders, Optional<String> subprotocol, HandshakeDecision.Accept identity,
                        Optional<DeflateParameters> deflate) {
        this.wire = wire;
        this.config = config;
        this.decoder = new WebSocketDecoder(Role.SERVER, config.maxMessageBytes(), deflate);
        this.deflate = deflate;
        this.deflateSender = deflate.map(p -> new DeflateSender(p, config.deflate().thresholdBytes())).orElse(null);
        this.remoteAddress = remoteAddress;
        this.requestUri = requestUri;
        this.requestHeaders = requestHeaders; // the exchange's, already unmodifiable: no copy per connection
        this.subprotocol = subprotocol;
        this.principal = identity.principal();
        this.attributes = identity.attributes();
        this.readBuffer = ByteBuffer.allocate(Math.max(WebSocketConfig.IDLE_READ_BUFFER_BYTES, pipelined.length));
        readBuffer.put(pipelined).flip();
    }

    // ---- reading (the read pump) ----

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
                if (event != null) {
                    readsSinceEvent = 0;
                }
                if (event == null) {
                    if (!fill()) {
                        return end(finish("end of stream", null));
                    }
                    continue;
                }
                switch (event) {
                    case ReadEvent.Message message -> {
                        return message.text() ? new Inbound.Text(message.payload()) : new Inbound.Binary(message.payload());
                    }
                    case ReadEvent.Ping ping -> answerPing(ping.payload());
                    case ReadEvent.Pong ignored -> {
                        return new Inbound.Pong();
                    }
                    case ReadEvent.Close close -> {
                        return end(onPeerClose(close.status()));
                    }
                }
            }
        } catch (ProtocolException e) {
            return end(onProtocolError(e));
        } catch (IOException e) {
            return end(finish("read failed", e));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "WebSocket read from " + remoteAddress + " failed unexpectedly", e);
            return end(finish("read failed", e));
        }
    }

    private Inbound.Closed end(DisconnectReason reason) {
        decoder.close(); // gives back an inflater a message in progress borrowed (permessage-deflate)
        terminal = new Inbound.Closed(reason);
        return terminal;
    }

    private void answerPing(byte[] payload) throws IOException {
        Runnable writer = wakeWriter;
        if (writer == null) {
            writeLock.lock();
            try {
                if (state == OPEN) { // once closing, only the close matters
                    writeFrame(FrameEncoder.serverFrame(Opcode.PONG, payload));
                }
            } catch (IOException e) {
                finish("pong failed", e);
                throw e;
            } finally {
                writeLock.unlock();
            }
            return;
        }
        pongLock.lock();
        try {
            if (pendingPongs.size() == MAX_PENDING_PONGS) {
                pendingPongs.pollFirst(); // RFC 6455 5.5.3: answering the most recent ping is enough
            }
            pendingPongs.addLast(payload);
            pendingPongCount = pendingPongs.size();
        } finally {
            pongLock.unlock();
        }
        writer.run();
    }

    /** The peer's close: our echo is owed (open), or it answers ours (sent). */
    private DisconnectReason onPeerClose(CloseStatus status) {
        while (true) {
            CloseState current = state;
            switch (current) {
                case CloseState.Open open -> {
                    // Echo the code only (an empty payload for 1005 "no status"); RFC 6455 section 5.5.1.
                    CloseState owed = new CloseState.Received(new CloseStatus(status.code(), ""), DisconnectReason.PEER_CLOSED, true);
                    if (transition(current, owed)) {
                        answerNowWithoutWriter();
                        return DisconnectReason.PEER_CLOSED;
                    }
                }
                case CloseState.Sent sent -> {
                    // The handshake is complete; RFC 6455 7.1.1: the server closes the TCP connection first.
                    DisconnectReason reason = finish("close handshake complete", null);
                    return sent.reason() != null ? reason : DisconnectReason.PEER_CLOSED;
                }
                case CloseState.Received received -> {
                    return received.reason();
                }
                case CloseState.Closed closed -> {
                    return closed.reason();
                }
            }
        }
    }

    private DisconnectReason onProtocolError(ProtocolException e) {
        CloseStatus status = e.closeStatus();
        LOG.log(Level.DEBUG, () -> "WebSocket protocol error, " + remoteAddress + ": " + status + " " + e.getMessage());
        DisconnectReason reason = status.code() == CloseStatus.MESSAGE_TOO_BIG
                ? DisconnectReason.MESSAGE_TOO_BIG : DisconnectReason.PROTOCOL_ERROR;
        CloseState current = state;
        if (current instanceof CloseState.Open && transition(current, new CloseState.Received(status, reason, false))) {
            answerNowWithoutWriter();
            return reason;
        }
        // Already closing: nothing more to say to this peer.
        return finish("protocol error while closing: " + status, null);
    }

    /** Entered Received: bounded by the close timeout; answered now unless a write pump will answer. */
    private void answerNowWithoutWriter() {
        scheduleCutoff();
        if (wakeWriter == null) {
            sendClose(null, null);
        } else {
            wakeWriter.run();
        }
    }

    /**
     * Makes room in the read buffer ({@link #nextReadBufferCapacity}) and reads once.
     */
    private boolean fill() throws IOException {
        ByteBuffer buffer = readBuffer.compact();
        int limit = config.maxMessageBytes() + MAX_FRAME_HEADER_BYTES;
        if (!buffer.hasRemaining() && buffer.capacity() >= limit) {
            throw new IOException("decoder needs more than " + limit + " buffered bytes");
        }
        int capacity = nextReadBufferCapacity(buffer.capacity(), buffer.position(), lightReads, lastReadFilledBuffer,
                readsSinceEvent == 0, config.readBufferBytes(), limit);
        if (capacity < buffer.capacity()) {
            buffer = ByteBuffer.allocate(capacity); // nothing buffered: nothing to copy
        } else if (capacity > buffer.capacity()) {
            buffer = ByteBuffer.allocate(capacity).put(buffer.flip());
        }
        readBuffer = buffer;
        int n;
        try {
            n = wire.read(buffer);
        } finally {
            buffer.flip();
        }
        lightReads = n <= WebSocketConfig.IDLE_READ_BUFFER_BYTES / 2 ? lightReads + 1 : 0;
        lastReadFilledBuffer = buffer.limit() == buffer.capacity();
        readsSinceEvent++;
        return n >= 0;
    }

    /** Consecutive light reads (see {@link #nextReadBufferCapacity}) before the buffer shrinks to the idle size. */
    static final int LIGHT_READS_BEFORE_SHRINK = 4;

    /**
     * The read buffer's capacity for the next read. It shrinks back to the idle size ({@value
     * WebSocketConfig#IDLE_READ_BUFFER_BYTES} bytes) when all was consumed, an event has just been
     * decoded and the last {@value #LIGHT_READS_BEFORE_SHRINK} reads each brought no more than half of
     * that (light traffic: an idle connection then blocks in its read holding only the small buffer). It
     * doubles, up to the configured size, when a read filled it (more is coming), and up to {@code limit}
     * when the decoder needs more bytes than it holds. Otherwise it keeps its size: inside a large frame
     * that arrives in small pieces (Autobahn 9.5/9.6), and for a sender whose reads bring one message,
     * then several, shrinking and growing again cost an allocation and a copy per cycle (a profile at
     * N=100 found 12% of the server's samples zeroing fresh 16 KiB buffers: the buffer shrank after every
     * light read and grew straight to 16 KiB on the next burst). Pure.
     *
     * @param capacity        the buffer's capacity now
     * @param buffered        bytes it holds that the decoder has not consumed
     * @param lightReads      how many reads in a row brought at most half the idle size
     * @param lastReadFilled  whether the last read left the buffer full
     * @param eventDecoded    whether an event was decoded since that read
     * @param configuredBytes {@link WebSocketConfig#readBufferBytes()}
     * @param limit           the most the decoder may need buffered (a whole largest frame)
     */
    static int nextReadBufferCapacity(int capacity, int buffered, int lightReads, boolean lastReadFilled,
                                      boolean eventDecoded, int configuredBytes, int limit) {
        int idle = WebSocketConfig.IDLE_READ_BUFFER_BYTES;
        if (buffered == 0 && eventDecoded && !lastReadFilled && capacity > idle
                && lightReads >= LIGHT_READS_BEFORE_SHRINK) {
            return idle;
        }
        if (buffered == capacity) {
            return Math.min(limit, Math.max(capacity * 2, configuredBytes));
        }
        if (lastReadFilled && capacity < configuredBytes) {
            return Math.min(configuredBytes, capacity * 2);
        }
        return capacity;
    }

    // ---- writing (the write pump, or the application's thread without one) ----

    /** The engine's write pump writes from now on; see the class comment. */
    @Override
    public void useWriter(Runnable wakeWriter) {
        this.wakeWriter = java.util.Objects.requireNonNull(wakeWriter, "wakeWriter");
    }

    @Override
    public boolean hasControlFrames() {
        return pendingPongCount > 0;
    }

    /** Writes the pongs owed, in one socket write; none once closing. */
    @Override
    public void writeControlFrames() throws IOException {
        byte[][] pongs;
        pongLock.lock();
        try {
            pongs = pendingPongs.toArray(new byte[0][]);
            pendingPongs.clear();
            pendingPongCount = 0;
        } finally {
            pongLock.unlock();
        }
        if (pongs.length == 0) {
            return;
        }
        ByteBuffer[] frames = new ByteBuffer[pongs.length];
        for (int i = 0; i < pongs.length; i++) {
            frames[i] = ByteBuffer.wrap(FrameEncoder.serverFrame(Opcode.PONG, pongs[i]));
        }
        writeLock.lock();
        try {
            requireNotClosed();
            if (state == OPEN) {
                wire.write(frames, frames.length);
            }
        } catch (IOException e) {
            finish("pong failed", e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes the frames in one socket write where it can (see {@link Wire#write(EncodedMessage[], int)}).
     * Blocks until written. Frames written after our close frame are dropped silently (RFC 6455
     * forbids sending them); after the peer's close they still go out, ahead of our answer.
     *
     * @throws IOException when the socket failed or was closed; the connection is then finished
     */
    @Override
    public void write(EncodedMessage[] batch, int count) throws IOException {
        writeLock.lock();
        try {
            requireNotClosed();
            if (!(state instanceof CloseState.Sent)) {
                wire.write(deflateSender == null ? batch : deflateSender.select(batch, count), count);
            }
        } catch (IOException e) {
            finish("write failed", e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends an empty ping; nothing once closing. */
    @Override
    public void ping() throws IOException {
        writeLock.lock();
        try {
            requireNotClosed();
            if (state == OPEN) {
                writeFrame(FrameEncoder.serverFrame(Opcode.PING, EMPTY));
            }
        } catch (IOException e) {
            finish("ping failed", e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    private void requireNotClosed() throws IOException {
        if (state instanceof CloseState.Closed) {
            throw new IOException("WebSocket closed");
        }
    }

    /**
     * Sends the close frame for {@code reason} (see {@link #closeStatusFor}), or, if the peer closed
     * first or broke the protocol, the answer owed to that; then the peer has the close timeout to
     * answer before the socket is cut. Idempotent; callable from any thread; blocks at most as long
     * as one write.
     */
    @Override
    public void close(DisconnectReason reason) {
        sendClose(closeStatusFor(reason), reason);
    }

    /** Sends exactly the application's code and reason ({@code Client.close(int, String)}), or the answer owed. */
    @Override
    public void close(ApplicationClose close) {
        sendClose(new CloseStatus(close.code(), close.reason()), DisconnectReason.APPLICATION);
    }

    /**
     * Open: sends {@code status} and waits for the peer's answer. Received: sends the answer owed
     * instead, then closes the socket (after the peer's close) or half-closes it (after a protocol
     * error; the session drains the rest). Otherwise nothing. Returns true when a close frame went out.
     */
    boolean sendClose(CloseStatus status, DisconnectReason reason) {
        writeLock.lock();
        try {
            CloseState current = state;
            switch (current) {
                case CloseState.Open open -> {
                    if (status == null || !transition(current, new CloseState.Sent(reason))) {
                        return false;
                    }
                    scheduleCutoff();
                    writeFrame(FrameEncoder.closeFrame(status));
                    return true;
                }
                case CloseState.Received owed -> {
                    writeFrame(FrameEncoder.closeFrame(owed.answer()));
                    if (owed.peerClosed()) {
                        finish("close handshake complete", null); // RFC 6455 7.1.1: the server closes TCP first
                    } else if (transition(current, new CloseState.Sent(owed.reason()))) {
                        // Half-close so that the peer reads our close frame and then the end, rather than a
                        // reset for the bytes it may still send; the session drains those until the cutoff.
                        wire.shutdownOutput();
                    }
                    return true;
                }
                case CloseState.Sent sent -> {
                    return false;
                }
                case CloseState.Closed closed -> {
                    return false;
                }
            }
        } catch (IOException e) {
            finish("close failed", e);
            return false;
        } finally {
            writeLock.unlock();
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

    // ---- the end ----

    /** Closes the socket now, from any thread; a blocked read returns {@code Closed}, a blocked write throws. */
    @Override
    public void abort() {
        finish("aborted", null);
    }

    /**
     * The one way out: moves to {@link CloseState.Closed} (keeping the reason a closing state had;
     * else {@link DisconnectReason#CONNECTION_LOST}), closes the socket and cancels the cutoff. Only
     * the first call logs. Any thread; never blocks.
     *
     * @return the reason the connection ended for
     */
    private DisconnectReason finish(String why, Throwable cause) {
        while (true) {
            CloseState current = state;
            DisconnectReason reason = switch (current) {
                case CloseState.Open open -> DisconnectReason.CONNECTION_LOST;
                case CloseState.Received received -> received.reason();
                case CloseState.Sent sent -> sent.reason() != null ? sent.reason() : DisconnectReason.CONNECTION_LOST;
                case CloseState.Closed closed -> closed.reason();
            };
            if (current instanceof CloseState.Closed) {
                return reason;
            }
            if (transition(current, new CloseState.Closed(reason))) {
                wire.close();
                if (deflateSender != null) {
                    deflateSender.close(); // ends the connection's own deflater under server context takeover
                }
                ScheduledFuture<?> pending = cutoff;
                if (pending != null) {
                    pending.cancel(false);
                }
                LOG.log(Level.DEBUG, () -> "WebSocket " + remoteAddress + " ended (" + reason + "): " + why
                        + (cause != null ? ": " + cause : ""));
                return reason;
            }
        }
    }

    private boolean transition(CloseState from, CloseState to) {
        return STATE.compareAndSet(this, from, to);
    }

    private void scheduleCutoff() {
        ScheduledFuture<?> timer = CloseTimer.schedule(this::cutOff, config.closeTimeout());
        cutoff = timer;
        if (state instanceof CloseState.Closed) {
            timer.cancel(false); // lost a race with finish(): nothing left to cut
        }
    }

    private void cutOff() {
        if (!(state instanceof CloseState.Closed)) {
            finish("the peer did not finish the close within " + config.closeTimeout(), null);
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

    /** True once the connection has ended (its socket is closed). */
    public boolean isClosed() {
        return state instanceof CloseState.Closed;
    }

    /** The close handshake's state now, for tests and logs. */
    CloseState closeState() {
        return state;
    }

    /**
     * Ends the session after the application's callback returned: finishes the close handshake it
     * left open (sending 1000, or 1011 when it failed, or the answer owed to the peer), reads what the
     * peer still sends until its close or end of stream, and closes the socket. Bounded by the close
     * timeout. Called once, by the handler.
     */
    void endSession(boolean applicationFailed) {
        if (state instanceof CloseState.Closed) {
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
        finish("session ended", null);
    }

    /** Reads and discards until the peer's end of stream; the close cutoff bounds it. */
    private void drain() {
        ByteBuffer sink = readBuffer.clear();
        try {
            while (!(state instanceof CloseState.Closed) && wire.read(sink.clear()) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // Cut off or reset: the socket is done either way.
        }
    }

    private void writeFrame(byte[] frame) throws IOException {
        wire.write(new ByteBuffer[] {ByteBuffer.wrap(frame)}, 1);
    }

    @Override
    public String toString() {
        return "WebSocketConnection[" + remoteAddress + " " + requestUri + " " + state + "]";
    }
}
