package dev.chatengine.transport.jdk.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The XOR masking of RFC 6455 section 5.3, in place. Masking and unmasking are the same operation.
 *
 * <p>Stateless and thread-safe (callers must not share the array being masked). The mask key is the
 * 4 key bytes read as a big-endian int, exactly as they appear in the frame header. Because a frame's
 * payload may arrive in pieces, every method takes {@code maskPosition}: the index, within the frame's
 * payload, of the first byte to mask (only its value modulo 4 matters).
 *
 * <p>{@link #mask} XORs 8 bytes at a time through a long view of the array; {@link #maskSlow} is the
 * byte-by-byte loop, kept public so that benchmarks can compare the two.
 */
public final class Masking {
    // Plain get/set through a byte-array view handle may use any index, aligned or not.
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Masking() {}

    /**
     * XORs {@code data[offset, offset + length)} with the mask, 8 bytes at a time.
     *
     * @param maskKey the 4 mask-key bytes as a big-endian int
     * @param maskPosition the payload index of {@code data[offset]} (the mask repeats every 4 bytes)
     * @throws IndexOutOfBoundsException when the range is outside {@code data}
     */
    public static void mask(byte[] data, int offset, int length, int maskKey, long maskPosition) {
        Objects.checkFromIndexSize(offset, length, data.length);
        // The key as it applies from data[offset] on: rotate so its first byte is key[position % 4].
        int key = Integer.rotateLeft(maskKey, 8 * (int) (maskPosition & 3));
        int lane = BIG_ENDIAN ? key : Integer.reverseBytes(key);
        long key64 = ((long) lane << 32) | (lane & 0xFFFF_FFFFL);
        int i = offset;
        int end = offset + length;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            LONGS.set(data, i, (long) LONGS.get(data, i) ^ key64);
        }
        // 8 is a multiple of 4, so the tail starts again at key[0] of the rotated key.
        for (int shift = 24; i < end; i++, shift = (shift - 8) & 31) {
            data[i] ^= (byte) (key >>> shift);
        }
    }

    /** The same as {@link #mask}, one byte at a time: the reference and the benchmark baseline. */
    public static void maskSlow(byte[] data, int offset, int length, int maskKey, long maskPosition) {
        Objects.checkFromIndexSize(offset, length, data.length);
        for (int i = 0; i < length; i++) {
            int keyIndex = (int) ((maskPosition + i) & 3);
            data[offset + i] ^= (byte) (maskKey >>> (24 - 8 * keyIndex));
        }
    }
}
