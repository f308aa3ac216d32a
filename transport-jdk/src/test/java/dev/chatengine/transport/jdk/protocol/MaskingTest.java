package dev.chatengine.transport.jdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The 8-bytes-at-a-time masking against the one-line definition of RFC 6455 section 5.3. */
class MaskingTest {

    /** RFC 6455 section 5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4). */
    private static void reference(byte[] data, int offset, int length, byte[] key, long position) {
        for (int i = 0; i < length; i++) data[offset + i] ^= key[(int) ((position + i) % 4)];
    }

    @Test
    void fastAndSlowMaskingMatchTheDefinitionForManyLengthsOffsetsAndPositions() {
        Random random = new Random(0);
        for (int length = 0; length <= 70; length++) {
            for (int offset = 0; offset < 9; offset++) {
                for (long position = 0; position < 8; position++) {
                    byte[] original = new byte[offset + length + 5];
                    random.nextBytes(original);
                    byte[] key = new byte[4];
                    random.nextBytes(key);
                    int maskKey = ((key[0] & 0xFF) << 24) | ((key[1] & 0xFF) << 16) | ((key[2] & 0xFF) << 8)
                            | (key[3] & 0xFF);

                    byte[] expected = original.clone();
                    reference(expected, offset, length, key, position);
                    byte[] fast = original.clone();
                    Masking.mask(fast, offset, length, maskKey, position);
                    byte[] slow = original.clone();
                    Masking.maskSlow(slow, offset, length, maskKey, position);

                    String where = "length " + length + ", offset " + offset + ", position " + position;
                    assertThat(fast).as(where).isEqualTo(expected);
                    assertThat(slow).as(where).isEqualTo(expected);
                    Masking.mask(fast, offset, length, maskKey, position);
                    assertThat(fast).as("masking twice restores, " + where).isEqualTo(original);
                }
            }
        }
    }

    @Test
    void maskingInPiecesEqualsMaskingWhole() {
        byte[] whole = RfcExamplesTest.pattern(1000);
        byte[] pieces = whole.clone();
        int key = 0x37fa213d;
        Masking.mask(whole, 0, whole.length, key, 0);
        Random random = new Random(1);
        for (int at = 0; at < pieces.length; ) {
            int piece = Math.min(pieces.length - at, random.nextInt(20));
            Masking.mask(pieces, at, piece, key, at);
            at += piece;
        }
        assertThat(pieces).isEqualTo(whole);
    }

    @Test
    void rangeIsChecked() {
        assertThatThrownBy(() -> Masking.mask(new byte[4], 2, 3, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Masking.maskSlow(new byte[4], -1, 1, 1, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
