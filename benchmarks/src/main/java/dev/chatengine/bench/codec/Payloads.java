package dev.chatengine.bench.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test payloads for the codec benchmarks: chat-like text of an exact size in bytes. Stateless. */
final class Payloads {

    private Payloads() {
    }

    /**
     * {@code size} bytes of valid UTF-8: a chat sentence repeated; with {@code mixed}, one that holds
     * two- and three-byte characters too ("é", "€"), about 1 byte in 8 being part of one; else ASCII.
     */
    static byte[] text(int size, boolean mixed) {
        byte[] unit = (mixed ? "Grüße, café à 5€ — ok? " : "Hello there, how is it going? ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        int n = 0;
        while (n + unit.length <= size) {
            System.arraycopy(unit, 0, out, n, unit.length);
            n += unit.length;
        }
        Arrays.fill(out, n, size, (byte) 'x'); // ASCII tail: the cut never splits a character
        return out;
    }
}
