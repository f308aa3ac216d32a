package dev.chatengine.engine.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random, mutated and truncated inputs: the reader either returns a value or throws JsonException,
 * never anything else (no IndexOutOfBounds, no NumberFormatException, no StackOverflowError).
 * Seeded, so a failure repeats.
 */
class JsonFuzzTest {

    private static final long SEED = 20251126L;
    private static final int INPUTS = 20_000;
    private static final JsonReader READER = JsonReader.withLimits(32, 64 * 1024);

    private static final List<String> SEEDS = List.of(
            "{\"type\":\"say\",\"room\":\"java\",\"text\":\"hi\",\"ref\":\"r1\"}",
            "{\"type\":\"join\",\"room\":\"lobby\",\"since\":17}",
            "[1,-2.5e+3,true,false,null,\"\\u00e9\\uD83D\\uDE00\\n\",{\"a\":[{}]}]",
            "\"héllo € 😀\"",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "{\"a\":{\"b\":{\"c\":{\"d\":0.1e-2}}}}");
    private static final byte[] ALPHABET = "{}[],:\"\\/bfnrtu0123456789-+.eEaslxyz \t\r\n\u0000\u001f"
            .getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomAndTruncatedInputsOnlyEverGiveAValueOrAJsonException() {
        Random random = new Random(SEED);
        int values = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random);
                case 1 -> randomTokens(random);
                case 2 -> mutate(random, seed(random));
                default -> truncate(random, seed(random));
            };
            if (parse(input, i)) {
                values++;
            }
        }
        // A fuzzer that produced only errors would be testing little: make sure some inputs were valid.
        assertThat(values).isGreaterThan(INPUTS / 50);
    }

    @Test
    void everyPrefixOfEverySeedIsHandled() {
        for (String s : SEEDS) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            for (int n = 0; n <= b.length; n++) {
                parse(Arrays.copyOf(b, n), n);
            }
            boolean tooDeep = s.startsWith("[".repeat(33));
            assertThat(parse(b, -1)).as(s).isEqualTo(!tooDeep);
        }
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflowEvenOnAVirtualThread() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                for (String open : List.of("[", "{\"k\":", "[{\"k\":")) {
                    parse(open.repeat(200_000).getBytes(StandardCharsets.UTF_8), 0);
                }
                JsonReader deepest = JsonReader.withLimits(JsonReader.MAX_DEPTH_LIMIT, Integer.MAX_VALUE);
                deepest.parse(("[".repeat(JsonReader.MAX_DEPTH_LIMIT) + "]".repeat(JsonReader.MAX_DEPTH_LIMIT))
                        .getBytes(StandardCharsets.UTF_8));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join();
        assertThat(thrown.get()).isNull();
    }

    /** True for a value, false for a JsonException; fails the test on anything else. */
    private static boolean parse(byte[] input, int index) {
        try {
            READER.parse(input);
            return true;
        } catch (JsonException e) {
            assertThat(e.position()).isBetween(0, input.length);
            return false;
        } catch (Throwable t) {
            fail("input #" + index + " " + Arrays.toString(input) + " threw " + t, t);
            return false;
        }
    }

    private static byte[] seed(Random random) {
        return SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] randomTokens(Random random) {
        byte[] b = new byte[random.nextInt(60)];
        for (int i = 0; i < b.length; i++) {
            b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return b;
    }

    private static byte[] mutate(Random random, byte[] b) {
        byte[] m = b.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(m.length);
            m[at] = random.nextBoolean() ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) random.nextInt(256);
        }
        return m;
    }

    private static byte[] truncate(Random random, byte[] b) {
        return Arrays.copyOf(b, random.nextInt(b.length + 1));
    }
}
