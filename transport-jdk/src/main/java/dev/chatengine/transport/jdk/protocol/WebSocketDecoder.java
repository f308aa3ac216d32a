package dev.chatengine.transport.jdk.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes the frames of one WebSocket connection into {@link ReadEvent}s: whole messages (fragments
 * joined, text checked as UTF-8) and control frames, enforcing RFC 6455 for the given {@link Role}.
 *
 * <p>Not thread-safe: one decoder per connection, called only by its read loop. It keeps the state of
 * a fragmented message between calls. Pure: no I/O, no threads.
 *
 * <p>Use: keep a read buffer of at least {@link #MIN_BUFFER_BYTES} (see {@link #bufferCapacityFor}),
 * fill it, flip it, and call {@link #next} until it returns null, then compact, read more and repeat:
 * <pre>{@code
 * ByteBuffer buffer = ByteBuffer.allocate(WebSocketDecoder.bufferCapacityFor(maxMessageBytes));
 * while (channel.read(buffer) >= 0) {
 *     buffer.flip();
 *     for (ReadEvent event; (event = decoder.next(buffer)) != null; ) handle(event);
 *     buffer.compact();
 * }
 * }</pre>
 * A {@link ProtocolException} is final for the connection: send a close frame with its
 * {@link ProtocolException#closeStatus()} and stop reading. After a {@link ReadEvent.Close} the peer
 * sends nothing more (RFC 6455 section 5.5.1); the decoder does not police that.
 *
 * <p>The frame (RFC 6455 section 5.2):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * :                     Payload Data continued ...                :
 * + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
 * |                     Payload Data continued ...                |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>How it works: {@link FrameHeader} reads a header only once all of it is in the buffer (syntax);
 * {@link FrameValidation} checks it against the rules for our role, including the size limit, before
 * any payload byte is read (policy). The payload is then copied out of the buffer as it arrives,
 * unmasked and, for text, UTF-8-checked piece by piece, so the read buffer never has to hold a whole
 * frame and an invalid text fragment fails as soon as its bad byte arrives. A single-frame message is
 * copied straight into an array of its exact size (the only allocation for it); fragments are joined
 * in a reusable buffer and copied out once at the end.
 *
 * <p>permessage-deflate (RFC 7692), when the handshake negotiated it: a data message whose first frame
 * has RSV1 set is compressed; its payload, unmasked piece by piece, goes straight into a
 * {@link MessageInflater}, whose output is limited to {@code maxMessageBytes} while it inflates (1009
 * as soon as it passes) and UTF-8-checked as it comes out. RSV1 on a continuation or a control frame
 * is a protocol error (1002), as without the extension. Between messages the decoder holds no zlib
 * stream unless the peer keeps its window ({@link DeflateParameters#noContextTakeover} false); call
 * {@link #close()} when the connection ends, to give back what a message in progress borrowed.
 */
public final class WebSocketDecoder {
    /** The longest frame header; a read buffer must hold at least this many bytes. */
    public static final int MIN_BUFFER_BYTES = FrameHeader.MAX_BYTES;
    /** The read buffer size {@link #bufferCapacityFor} suggests at most. */
    public static final int MAX_SUGGESTED_BUFFER_BYTES = 16 * 1024;
    /** A fragment-joining buffer up to this size is kept for the next fragmented message. */
    private static final int KEPT_ASSEMBLY_BYTES = 16 * 1024;
    /** Compressed bytes are unmasked through a buffer of at most this size on their way to the inflater. */
    private static final int COMPRESSED_CHUNK_BYTES = 8 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final Role role;
    private final int maxMessageBytes;
    private final FrameHeader header = new FrameHeader();
    private final Utf8Validator utf8 = new Utf8Validator();
    /** Null when permessage-deflate was not negotiated: then RSV1 is a protocol error. */
    private final MessageInflater inflater;

    // The frame being read: its header was read and validated, payloadRemaining bytes are to come.
    private boolean inFrame;
    private long payloadRemaining;
    private int payloadRead;
    private byte[] target;
    private int targetOffset;

    // The fragmented message being joined, if any.
    private boolean messageInProgress;
    private boolean messageText;
    private int messageBytes;
    private byte[] assembly = EMPTY;

    // The compressed message being inflated, if any (target is null for its frames).
    private boolean messageCompressed;
    private byte[] compressedChunk;
    private int utf8Checked; // inflated bytes already fed to the UTF-8 validator

    /**
     * A decoder for one connection.
     *
     * @param role our end: {@link Role#SERVER} requires masked frames, {@link Role#CLIENT} unmasked
     * @param maxMessageBytes the largest message accepted, all fragments together; a larger one fails
     *     with 1009 as soon as a frame header announces it
     */
    public WebSocketDecoder(Role role, int maxMessageBytes) {
        this(role, maxMessageBytes, Optional.empty());
    }

    /**
     * A decoder for one connection that negotiated {@code deflate} (or nothing, when empty).
     *
     * @param maxMessageBytes the largest message accepted, all fragments together and, for a
     *     compressed message, once inflated
     */
    public WebSocketDecoder(Role role, int maxMessageBytes, Optional<DeflateParameters> deflate) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0: " + maxMessageBytes);
        }
        this.role = Objects.requireNonNull(role, "role");
        this.maxMessageBytes = maxMessageBytes;
        Role peer = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
        this.inflater = deflate.map(p -> new MessageInflater(maxMessageBytes, !p.noContextTakeover(peer))).orElse(null);
    }

    /**
     * A good read-buffer capacity for messages of up to {@code maxMessageBytes}: room for a whole
     * maximum-size frame ({@value #MIN_BUFFER_BYTES} header bytes + {@code maxMessageBytes}), capped at
     * {@value #MAX_SUGGESTED_BUFFER_BYTES} bytes. Any capacity of at least {@value #MIN_BUFFER_BYTES}
     * works, because the decoder copies payload out as it arrives; a bigger one only means fewer reads.
     */
    public static int bufferCapacityFor(int maxMessageBytes) {
        long wholeFrame = (long) MIN_BUFFER_BYTES + Math.max(0, maxMessageBytes);
        return (int) Math.min(wholeFrame, MAX_SUGGESTED_BUFFER_BYTES);
    }

    /**
     * Consumes bytes from {@code in} (in read mode) and returns the next event, or null when more bytes
     * are needed. Everything consumed is done with; unconsumed bytes (at most an incomplete header)
     * stay in {@code in}: compact it, read more and call again.
     *
     * @throws ProtocolException when the peer broke RFC 6455; the decoder is unusable afterwards
     */
    public ReadEvent next(ByteBuffer in) throws ProtocolException {
        try {
            while (true) {
                if (!inFrame) {
                    if (!header.read(in)) {
                        return null;
                    }
                    FrameValidation.check(header, role, inflater != null, messageInProgress, messageCompressed,
                            messageBytes, maxMessageBytes);
                    beginFrame();
                }
                if (payloadRemaining > 0 && !(target == null ? readCompressedPayload(in) : readPayload(in))) {
                    return null;
                }
                inFrame = false;
                ReadEvent event = endFrame();
                if (event != null) {
                    return event;
                }
            }
        } catch (ProtocolException | RuntimeException e) {
            close(); // the decoder is done: give back what a message in progress borrowed
            throw e;
        }
    }

    /**
     * Releases what the decoder holds for permessage-deflate: the inflater a compressed message in
     * progress borrowed, or the connection's own under context takeover. Call it when the connection
     * ends, from the thread that reads. Idempotent; nothing to do without the extension.
     */
    public void close() {
        if (inflater != null) {
            inflater.close();
        }
        compressedChunk = null;
    }

    /** True while the decoder holds a zlib stream (for tests: none between messages by default). */
    boolean holdsInflater() {
        return inflater != null && inflater.holdsInflater();
    }

    /** The largest inflated-message buffer the decoder ever held (for tests: never above the limit). */
    int peakInflatedBufferBytes() {
        return inflater == null ? 0 : inflater.peakOutputBytes();
    }

    /** Picks where the payload of the validated frame in {@link #header} goes. */
    private void beginFrame() {
        int length = (int) header.payloadLength; // validation bounded it by 125 or maxMessageBytes
        inFrame = true;
        payloadRemaining = length;
        payloadRead = 0;
        Opcode opcode = header.opcode;
        if (!opcode.isControl() && (header.rsv1() || (opcode == Opcode.CONTINUATION && messageCompressed))) {
            beginCompressedFrame(length);
            return;
        }
        if (opcode.isControl() || (header.fin && opcode != Opcode.CONTINUATION)) {
            // A control frame or a whole single-frame message: straight into its own exact array.
            target = length == 0 ? EMPTY : new byte[length];
            targetOffset = 0;
            if (opcode == Opcode.TEXT) {
                utf8.reset();
            }
            return;
        }
        if (opcode != Opcode.CONTINUATION) { // first fragment of a message
            messageInProgress = true;
            messageText = opcode == Opcode.TEXT;
            messageBytes = 0;
            utf8.reset();
        }
        int needed = messageBytes + length;
        if (needed > assembly.length) {
            // Grow geometrically but never beyond the limit, which validation says 'needed' is within.
            int capacity = (int) Math.min(maxMessageBytes, Math.max(needed, 2L * assembly.length));
            assembly = Arrays.copyOf(assembly, capacity);
        }
        target = assembly;
        targetOffset = messageBytes;
    }

    /** A frame of a compressed message: its payload goes to the inflater, not to {@link #target}. */
    private void beginCompressedFrame(int length) {
        target = null;
        if (header.opcode != Opcode.CONTINUATION) { // validation allows RSV1 on a first frame only
            messageCompressed = true;
            messageInProgress = !header.fin;
            messageText = header.opcode == Opcode.TEXT;
            messageBytes = 0;
            utf8.reset();
            utf8Checked = 0;
            inflater.begin(length);
        }
        int chunk = Math.min(COMPRESSED_CHUNK_BYTES, Math.max(1, length));
        if (compressedChunk == null || compressedChunk.length < chunk) {
            compressedChunk = new byte[chunk];
        }
    }

    /** Unmasks what is available of a compressed payload and inflates it; true when all was read. */
    private boolean readCompressedPayload(ByteBuffer in) throws ProtocolException {
        while (payloadRemaining > 0 && in.hasRemaining()) {
            int count = (int) Math.min(Math.min(in.remaining(), payloadRemaining), compressedChunk.length);
            in.get(compressedChunk, 0, count);
            if (header.masked) {
                Masking.mask(compressedChunk, 0, count, header.maskKey, payloadRead);
            }
            payloadRead += count;
            payloadRemaining -= count;
            inflater.feed(compressedChunk, 0, count);
            checkInflatedText();
        }
        return payloadRemaining == 0;
    }

    /** UTF-8-checks what the inflater produced since the last check, so bad text fails early. */
    private void checkInflatedText() throws ProtocolException {
        int size = inflater.size();
        if (messageText && size > utf8Checked) {
            if (!utf8.feed(inflater.output(), utf8Checked, size - utf8Checked)) {
                throw invalidUtf8();
            }
            utf8Checked = size;
        }
    }

    /** Copies what is available of the payload; true when the whole payload has been read. */
    private boolean readPayload(ByteBuffer in) throws ProtocolException {
        int count = (int) Math.min(in.remaining(), payloadRemaining);
        if (count == 0) {
            return false;
        }
        int at = targetOffset + payloadRead;
        in.get(target, at, count);
        if (header.masked) {
            Masking.mask(target, at, count, header.maskKey, payloadRead);
        }
        payloadRead += count;
        payloadRemaining -= count;
        if (isTextData() && !utf8.feed(target, at, count)) {
            throw invalidUtf8();
        }
        return payloadRemaining == 0;
    }

    private boolean isTextData() {
        Opcode opcode = header.opcode;
        return opcode == Opcode.TEXT || (opcode == Opcode.CONTINUATION && messageText);
    }

    /** Turns a fully read frame into its event, or null for a fragment that does not end its message. */
    private ReadEvent endFrame() throws ProtocolException {
        byte[] payload = target;
        target = null;
        return switch (header.opcode) {
            case PING -> new ReadEvent.Ping(payload);
            case PONG -> new ReadEvent.Pong(payload);
            case CLOSE -> new ReadEvent.Close(CloseStatus.parse(payload));
            case TEXT, BINARY, CONTINUATION -> endDataFrame(payload);
            // Validation rejected these before any payload was read.
            case RESERVED_3, RESERVED_4, RESERVED_5, RESERVED_6, RESERVED_7,
                 RESERVED_B, RESERVED_C, RESERVED_D, RESERVED_E, RESERVED_F ->
                    throw new IllegalStateException("Reserved opcode passed validation: " + header.opcode);
        };
    }

    private ReadEvent endDataFrame(byte[] payload) throws ProtocolException {
        if (messageCompressed) {
            return endCompressedFrame();
        }
        if (!messageInProgress) { // a whole single-frame message
            if (header.opcode == Opcode.TEXT && !utf8.isComplete()) {
                throw invalidUtf8();
            }
            return new ReadEvent.Message(header.opcode == Opcode.TEXT, payload);
        }
        messageBytes += payloadRead;
        if (!header.fin) {
            return null;
        }
        if (messageText && !utf8.isComplete()) {
            throw invalidUtf8();
        }
        byte[] message = messageBytes == 0 ? EMPTY : Arrays.copyOf(assembly, messageBytes);
        ReadEvent event = new ReadEvent.Message(messageText, message);
        messageInProgress = false;
        messageBytes = 0;
        if (assembly.length > KEPT_ASSEMBLY_BYTES) {
            assembly = EMPTY; // do not pin a large buffer to an idle connection
        }
        return event;
    }

    private ReadEvent endCompressedFrame() throws ProtocolException {
        messageBytes += payloadRead;
        if (!header.fin) {
            return null;
        }
        inflater.finishInput();
        checkInflatedText();
        if (messageText && !utf8.isComplete()) {
            throw invalidUtf8();
        }
        ReadEvent event = new ReadEvent.Message(messageText, inflater.take());
        messageCompressed = false;
        messageInProgress = false;
        messageBytes = 0;
        compressedChunk = null; // nothing kept for an idle connection
        return event;
    }

    private static ProtocolException invalidUtf8() {
        return new ProtocolException(CloseStatus.INVALID_PAYLOAD,
                "Text message MUST be valid UTF-8 (RFC 6455 section 8.1)");
    }
}
