package dev.chatengine.transport.jdk.protocol;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the payload of compressed messages (RFC 7692 section 7.2.2) as it arrives, into an output
 * buffer that grows with what comes out and never beyond the message limit: the limit applies to the
 * inflated size, checked on every chunk, so a small bomb fails with 1009 as soon as its output
 * passes the limit, having allocated at most the limit.
 *
 * <p>Not thread-safe: owned by one {@link WebSocketDecoder}, called only by its read loop.
 *
 * <p>Memory: without context takeover (the default) the {@link Inflater} is borrowed from
 * {@link ZlibPool#INFLATERS} for one message and given back when it ends, and the output buffer is
 * handed over with the message, so between messages nothing is kept. With context takeover the
 * inflater is the connection's own until {@link #close()}.
 */
final class MessageInflater {
    /** Appended to every message before inflating (RFC 7692 section 7.2.2): the empty stored block the sender stripped. */
    static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    /** DEFLATE's largest back-reference distance: the dictionary to carry over a final block. */
    private static final int WINDOW_BYTES = 32 * 1024;
    private static final int MIN_OUTPUT_BYTES = 256;
    /** First guess at the inflated size, from the first frame's compressed size: chat text deflates about 2-4x. */
    private static final int EXPANSION_GUESS = 4;
    private static final byte[] EMPTY = new byte[0];

    private final int maxMessageBytes;
    private final boolean contextTakeover;
    private final byte[] probe = new byte[1];

    private Inflater inflater;
    /** The inflater saw a block with BFINAL set: a new stream starts with the next block (RFC 7692 section 7.2.3.4). */
    private boolean streamEnded;
    private byte[] output = EMPTY;
    private int size;
    private int peakOutputBytes;

    /**
     * @param contextTakeover the peer keeps its window between messages, so the inflater is kept too
     */
    MessageInflater(int maxMessageBytes, boolean contextTakeover) {
        this.maxMessageBytes = maxMessageBytes;
        this.contextTakeover = contextTakeover;
    }

    /** Starts a message whose first frame carries {@code firstFrameBytes} compressed bytes. */
    void begin(long firstFrameBytes) {
        if (inflater == null) {
            inflater = contextTakeover ? new Inflater(true) : ZlibPool.INFLATERS.borrow();
        }
        size = 0;
        long guess = Math.max(MIN_OUTPUT_BYTES, firstFrameBytes * EXPANSION_GUESS);
        output = new byte[(int) Math.min(maxMessageBytes, guess)];
        peakOutputBytes = Math.max(peakOutputBytes, output.length);
    }

    /** The inflated bytes so far: {@code output()[0..size())}. */
    byte[] output() {
        return output;
    }

    int size() {
        return size;
    }

    /** The largest output buffer this inflater ever held (for tests: bounded by the limit). */
    int peakOutputBytes() {
        return peakOutputBytes;
    }

    /**
     * Inflates {@code src[off..off+len)}, all of it, before returning; the inflater keeps no
     * reference to {@code src} afterwards.
     *
     * @throws ProtocolException 1009 when the output passes the limit; 1007 for data that is not DEFLATE
     */
    void feed(byte[] src, int off, int len) throws ProtocolException {
        if (streamEnded) {
            restart();
        }
        inflater.setInput(src, off, len);
        try {
            while (true) {
                boolean full = size == output.length && !grow();
                if (full) {
                    // At the limit: one more byte of output is one too many.
                    if (inflater.inflate(probe, 0, 1) > 0) {
                        throw tooBig();
                    }
                } else {
                    size += inflater.inflate(output, size, output.length - size);
                    if (size == output.length) {
                        continue; // maybe more output pending: grow and go on
                    }
                }
                if (inflater.finished()) {
                    int remaining = inflater.getRemaining();
                    if (remaining == 0) {
                        streamEnded = true;
                        return;
                    }
                    restart();
                    inflater.setInput(src, off + len - remaining, remaining);
                    continue;
                }
                if (inflater.needsInput()) {
                    return;
                }
                throw corrupt(inflater.needsDictionary() ? "a preset dictionary" : "no progress");
            }
        } catch (DataFormatException e) {
            throw corrupt(e.getMessage());
        }
    }

    /** Inflates the tail the sender stripped (RFC 7692 section 7.2.2): the message's last output comes out. */
    void finishInput() throws ProtocolException {
        feed(TAIL, 0, TAIL.length);
    }

    /**
     * Hands the message over, exactly its size (the buffer itself when it fits exactly), after
     * {@link #finishInput()}. Without context takeover the inflater goes back to the pool.
     */
    byte[] take() {
        byte[] message = size == output.length ? output : Arrays.copyOf(output, size);
        output = EMPTY;
        size = 0;
        if (!contextTakeover) {
            giveBack();
        }
        return message;
    }

    /** Releases the inflater and the buffer; the instance may begin a new message afterwards. Idempotent. */
    void close() {
        output = EMPTY;
        size = 0;
        if (inflater != null) {
            if (contextTakeover) {
                inflater.end();
                inflater = null;
                streamEnded = false;
            } else {
                giveBack();
            }
        }
    }

    /** True while this instance holds an inflater (for tests: none between messages by default). */
    boolean holdsInflater() {
        return inflater != null;
    }

    private void giveBack() {
        ZlibPool.INFLATERS.release(inflater);
        inflater = null;
        streamEnded = false;
    }

    /** Grows the output buffer, geometrically up to the limit; false when it is at the limit already. */
    private boolean grow() {
        if (output.length >= maxMessageBytes) {
            return false;
        }
        int capacity = (int) Math.min(maxMessageBytes, Math.max(MIN_OUTPUT_BYTES, 2L * output.length));
        output = Arrays.copyOf(output, capacity);
        peakOutputBytes = Math.max(peakOutputBytes, capacity);
        return true;
    }

    /**
     * A new DEFLATE stream after a final block: blocks may follow one (RFC 7692 section 7.2.1) and may
     * refer back into what this message produced so far, which becomes the new stream's dictionary.
     */
    private void restart() {
        inflater.reset();
        streamEnded = false;
        int dictionary = Math.min(size, WINDOW_BYTES);
        if (dictionary > 0) {
            inflater.setDictionary(output, size - dictionary, dictionary);
        }
    }

    private ProtocolException tooBig() {
        return new ProtocolException(CloseStatus.MESSAGE_TOO_BIG, "Message exceeds the limit of "
                + maxMessageBytes + " bytes once inflated (RFC 6455 section 7.4.1)");
    }

    private static ProtocolException corrupt(String detail) {
        return new ProtocolException(CloseStatus.INVALID_PAYLOAD,
                "Compressed message MUST be valid DEFLATE data (RFC 7692 section 7.2.2): " + detail);
    }
}
