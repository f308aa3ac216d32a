package dev.chatengine.transport.jdk.protocol;

import static dev.chatengine.transport.jdk.protocol.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DFA against the JDK's own UTF-8 decoder, which rejects the same overlongs and surrogates. */
class Utf8ValidatorTest {
    private final CharsetDecoder reference = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final CharBuffer chars = CharBuffer.allocate(256);

    /** Decodes without exceptions (CoderResult), so that millions of invalid inputs stay cheap. */
    private boolean jdkAccepts(byte[] bytes) {
        reference.reset();
        chars.clear();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return !reference.decode(in, chars, true).isError() && !reference.flush(chars).isError()
                && !in.hasRemaining();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "'', empty",
        "48656c6c6f, ASCII",
        "00, NUL",
        "7f, DEL",
        "c280, U+0080 (smallest 2-byte)",
        "dfbf, U+07FF (largest 2-byte)",
        "e0a080, U+0800 (smallest 3-byte)",
        "ed9fbf, U+D7FF (just below the surrogates)",
        "ee8080, U+E000 (just above the surrogates)",
        "efbfbf, U+FFFF",
        "f0908080, U+10000 (smallest 4-byte)",
        "f48fbfbf, U+10FFFF (largest)",
        "cebae1bdb9cf83cebcceb5, Greek kosme",
    })
    void valid(String bytes, String label) {
        assertThat(Utf8Validator.isValid(hex(bytes))).isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "80, lone continuation",
        "bf, lone continuation",
        "c0 80, overlong NUL",
        "c1 bf, overlong 2-byte",
        "e0 80 80, overlong 3-byte",
        "e0 9f bf, overlong 3-byte (U+07FF)",
        "f0 80 80 80, overlong 4-byte",
        "f0 8f bf bf, overlong 4-byte (U+FFFF)",
        "ed a0 80, surrogate U+D800",
        "ed af bf, surrogate U+DBFF",
        "ed b0 80, surrogate U+DC00",
        "ed bf bf, surrogate U+DFFF",
        "f4 90 80 80, U+110000",
        "f5 80 80 80, lead byte F5",
        "f8 88 80 80 80, 5-byte form",
        "fe, byte FE",
        "ff, byte FF",
        "c3, truncated 2-byte",
        "e2 82, truncated 3-byte",
        "f0 9d 84, truncated 4-byte",
        "e2 41 ac, lead byte followed by ASCII",
        "c3 a9 a9, extra continuation",
    })
    void invalid(String bytes, String label) {
        byte[] data = hex(bytes);
        assertThat(Utf8Validator.isValid(data)).isFalse();
        assertThat(jdkAccepts(data)).as("the JDK agrees").isFalse();
    }

    @Test
    void failsOnTheFirstByteThatCannotBeValid() {
        // 'a', then E2 (fine so far), 82 (fine so far), then 41 cannot continue the character.
        byte[] data = hex("61 e2 82 41 62");
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(data, 0, 3)).isTrue();
        assertThat(validator.isComplete()).isFalse();
        assertThat(validator.feed(data, 3, 1)).isFalse();
        assertThat(validator.isFailed()).isTrue();
        assertThat(validator.feed(data, 4, 1)).as("failure is sticky").isFalse();
        validator.reset();
        assertThat(validator.feed(data, 4, 1)).isTrue();
        assertThat(validator.isComplete()).isTrue();
    }

    @Test
    void surrogateFailsOnItsSecondByte() {
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(hex("ed"), 0, 1)).isTrue();
        assertThat(validator.feed(hex("a0"), 0, 1)).isFalse();
    }

    @Test
    void everyOneAndTwoByteInputAgreesWithTheJdk() {
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                assertAgrees(new byte[] {(byte) a, (byte) b});
            }
        }
    }

    @Test
    void everyThreeByteInputFromAMultiByteLeadAgreesWithTheJdk() {
        byte[] data = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c += (b >= 0x80 && b < 0xC0) ? 1 : 0x3F) {
                    data[0] = (byte) a;
                    data[1] = (byte) b;
                    data[2] = (byte) c;
                    assertAgrees(data);
                }
            }
        }
    }

    @Test
    void fourByteInputsFromA4ByteLeadAgreeWithTheJdkAroundTheBoundaries() {
        int[] tails = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0xF0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : tails) {
                    for (int d : tails) {
                        assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                    }
                }
            }
        }
    }

    @Test
    void randomInputsAgreeWithTheJdkWholeAndInPieces() {
        Random random = new Random(0);
        for (int round = 0; round < 20_000; round++) {
            byte[] data = randomText(random);
            assertAgrees(data);
            // Fed in random pieces, the answer is the same as fed whole.
            Utf8Validator validator = new Utf8Validator();
            boolean ok = true;
            for (int at = 0; at < data.length && ok; ) {
                int piece = Math.min(data.length - at, 1 + random.nextInt(12));
                ok = validator.feed(data, at, piece);
                at += piece;
            }
            assertThat(ok && validator.isComplete()).as("%s in pieces", java.util.HexFormat.of().formatHex(data))
                    .isEqualTo(jdkAccepts(data));
        }
    }

    /** Mostly valid text of random code points with, half the time, one random byte changed. */
    private static byte[] randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int characters = random.nextInt(40);
        for (int i = 0; i < characters; i++) {
            int kind = random.nextInt(4);
            int codePoint = switch (kind) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 2 -> 0x800 + random.nextInt(0xD800 - 0x800);
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        if (data.length > 0 && random.nextBoolean()) {
            data[random.nextInt(data.length)] = (byte) random.nextInt(256);
        }
        return data;
    }

    private void assertAgrees(byte[] data) {
        boolean expected = jdkAccepts(data);
        if (Utf8Validator.isValid(data) != expected) {
            throw new AssertionError(java.util.HexFormat.of().formatHex(data) + ": validator says "
                    + !expected + ", the JDK " + expected);
        }
    }
}
