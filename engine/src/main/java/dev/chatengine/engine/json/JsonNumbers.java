package dev.chatengine.engine.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** RFC 8259 number grammar and conversions, shared by the reader and {@link JsonValue.JsonNumber}. Stateless. */
final class JsonNumbers {

    /** 18 digits always fit a long, so shorter plain integers skip BigDecimal. */
    private static final int MAX_FAST_DIGITS = 18;

    private JsonNumbers() {
    }

    /**
     * Returns the index just past the number that starts at {@code start}, or the negated index
     * (minus one) of the first byte that breaks the grammar
     * {@code -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?}.
     */
    static int scan(byte[] b, int start, int end) {
        int i = start;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end) {
            return -i - 1;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(b, i, end);
        } else {
            return -i - 1;
        }
        if (i < end && b[i] == '.') {
            i++;
            if (i >= end || !isDigit(b[i])) {
                return -i - 1;
            }
            i = digits(b, i, end);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (i >= end || !isDigit(b[i])) {
                return -i - 1;
            }
            i = digits(b, i, end);
        }
        return i;
    }

    static boolean isValid(String text) {
        if (text.isEmpty() || !isAscii(text)) {
            return false;
        }
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        int stop = scan(b, 0, b.length);
        // scan stops after a leading "0", so "01" ends before the end and is rejected here.
        return stop == b.length;
    }

    static OptionalLong asLong(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int n = text.length() - start;
        if (n <= MAX_FAST_DIGITS && allDigits(text, start)) {
            return OptionalLong.of(Long.parseLong(text));
        }
        try {
            return OptionalLong.of(new BigDecimal(text).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            // Not an integer, out of long's range, or an exponent beyond BigDecimal's int scale.
            return OptionalLong.empty();
        }
    }

    private static int digits(byte[] b, int i, int end) {
        while (i < end && isDigit(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean allDigits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
