package dev.chatengine.transport.jdk.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An incremental UTF-8 validator (RFC 3629): feed it a message's bytes in pieces, split anywhere, and
 * it fails on the first byte after which the input can no longer be valid, so a WebSocket text
 * message is rejected (close code 1007) on the fragment that breaks it, not at its end.
 *
 * <p>Not thread-safe: one instance per message stream, {@link #reset()} between messages. Overlong
 * forms, UTF-16 surrogates (ED A0..BF ..) and code points above U+10FFFF are invalid.
 *
 * <p>The automaton is Bjoern Hoehrmann's DFA (http://bjoern.hoehrmann.de/utf-8/decoder/dfa/, MIT
 * licence): a byte is mapped to one of 12 classes, then (state + class) indexes the transition table.
 * Between characters, runs of ASCII are skipped 8 bytes at a time.
 */
public final class Utf8Validator {
    private static final int ACCEPT = 0;
    private static final int REJECT = 12;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Byte to character class. */
    private static final byte[] CLASS = new byte[256];
    /** (state + class) to next state; states are multiples of 12. */
    private static final byte[] TRANSITION = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    static {
        // 00..7F class 0 (ASCII) by default.
        fill(0x80, 0x8F, 1);
        fill(0x90, 0x9F, 9);
        fill(0xA0, 0xBF, 7);
        fill(0xC0, 0xC1, 8); // overlong 2-byte leads
        fill(0xC2, 0xDF, 2);
        fill(0xE0, 0xE0, 10); // next byte A0..BF, else overlong
        fill(0xE1, 0xEC, 3);
        fill(0xED, 0xED, 4); // next byte 80..9F, else a surrogate
        fill(0xEE, 0xEF, 3);
        fill(0xF0, 0xF0, 11); // next byte 90..BF, else overlong
        fill(0xF1, 0xF3, 6);
        fill(0xF4, 0xF4, 5); // next byte 80..8F, else above U+10FFFF
        fill(0xF5, 0xFF, 8);
    }

    private static void fill(int from, int to, int characterClass) {
        for (int b = from; b <= to; b++) {
            CLASS[b] = (byte) characterClass;
        }
    }

    private int state = ACCEPT;

    /** A validator at the start of a message. */
    public Utf8Validator() {}

    /** True when {@code data[offset, offset + length)} is complete, valid UTF-8. */
    public static boolean isValid(byte[] data, int offset, int length) {
        Utf8Validator validator = new Utf8Validator();
        return validator.feed(data, offset, length) && validator.isComplete();
    }

    /** True when {@code data} is complete, valid UTF-8. */
    public static boolean isValid(byte[] data) {
        return isValid(data, 0, data.length);
    }

    /**
     * Feeds the next piece of the message.
     *
     * @return false as soon as the input seen so far cannot be the start of valid UTF-8; once false,
     *     it stays false until {@link #reset()}
     */
    public boolean feed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int s = state;
        if (s == REJECT) {
            return false;
        }
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (s == ACCEPT) {
                // Between characters: skip ASCII 8 bytes at a time.
                while (i <= end - Long.BYTES && ((long) LONGS.get(data, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == end) {
                    break;
                }
            }
            s = TRANSITION[s + CLASS[data[i++] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
        }
        state = s;
        return true;
    }

    /** True when no invalid byte was fed and the input does not end inside a character. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** True once the input fed can no longer be valid. */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Starts a new message. */
    public void reset() {
        state = ACCEPT;
    }
}
