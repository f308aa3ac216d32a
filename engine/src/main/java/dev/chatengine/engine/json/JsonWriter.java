package dev.chatengine.engine.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes one JSON document straight to UTF-8 bytes, with no intermediate tree or string.
 * Not thread-safe: use one writer per thread (it is cheap) or per message.
 *
 * <pre>{@code
 * byte[] json = new JsonWriter()
 *         .beginObject()
 *         .name("type").value("message")
 *         .name("seq").value(17)
 *         .endObject()
 *         .toByteArray();   // {"type":"message","seq":17}
 * }</pre>
 *
 * <p>Strings are escaped as RFC 8259 requires ({@code "}, {@code \}, and U+0000 to U+001F, with the
 * short forms {@code \n}, {@code \t} and so on where they exist), and U+2028 and U+2029 are escaped
 * as well so that the output is also safe inside JavaScript source. Everything else goes out as
 * UTF-8. A lone surrogate in a Java string, which UTF-8 cannot carry, is written as U+FFFD, so the
 * output is always valid UTF-8 that {@link JsonReader} accepts.
 *
 * <p>Misuse (a value where a name is due, {@link #toByteArray()} before the document is complete)
 * throws {@link IllegalStateException}: it is a programming error, not bad input.
 */
public final class JsonWriter {

    private static final int DEFAULT_CAPACITY_BYTES = 256;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII char: 0 = as is, 'u' = six-byte escape, else the letter after the backslash. */
    private static final byte[] ASCII_ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = 'u';
        }
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\f'] = 'f';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\r'] = 'r';
        ASCII_ESCAPES['\t'] = 't';
    }

    // Where the writer is, one entry per open container, as in Gson's JsonWriter.
    private static final byte EMPTY_DOCUMENT = 0;
    private static final byte NONEMPTY_DOCUMENT = 1;
    private static final byte EMPTY_OBJECT = 2;
    private static final byte DANGLING_NAME = 3;
    private static final byte NONEMPTY_OBJECT = 4;
    private static final byte EMPTY_ARRAY = 5;
    private static final byte NONEMPTY_ARRAY = 6;

    private byte[] buf;
    private int len;
    private byte[] stack = new byte[8];
    private int depth = 1; // stack[0] is the document

    public JsonWriter() {
        this(DEFAULT_CAPACITY_BYTES);
    }

    /** A writer whose buffer starts at {@code initialCapacityBytes} (it grows as needed). */
    public JsonWriter(int initialCapacityBytes) {
        buf = new byte[Math.max(16, initialCapacityBytes)];
        stack[0] = EMPTY_DOCUMENT;
    }

    /** The JSON of {@code value} as UTF-8 bytes. */
    public static byte[] write(JsonValue value) {
        return new JsonWriter().value(value).toByteArray();
    }

    /** The JSON of {@code value} as a string. */
    public static String toString(JsonValue value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    public JsonWriter beginObject() {
        beforeValue();
        push(EMPTY_OBJECT);
        writeByte('{');
        return this;
    }

    public JsonWriter endObject() {
        byte top = stack[depth - 1];
        if (top != EMPTY_OBJECT && top != NONEMPTY_OBJECT) {
            throw new IllegalStateException(top == DANGLING_NAME ? "a name without a value" : "not in an object");
        }
        depth--;
        writeByte('}');
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        push(EMPTY_ARRAY);
        writeByte('[');
        return this;
    }

    public JsonWriter endArray() {
        byte top = stack[depth - 1];
        if (top != EMPTY_ARRAY && top != NONEMPTY_ARRAY) {
            throw new IllegalStateException("not in an array");
        }
        depth--;
        writeByte(']');
        return this;
    }

    /** The next member's name; must be followed by exactly one value. */
    public JsonWriter name(String name) {
        byte top = stack[depth - 1];
        if (top == NONEMPTY_OBJECT) {
            writeByte(',');
        } else if (top != EMPTY_OBJECT) {
            throw new IllegalStateException(top == DANGLING_NAME ? "two names in a row" : "a name outside an object");
        }
        stack[depth - 1] = DANGLING_NAME;
        writeString(name);
        writeByte(':');
        return this;
    }

    /** A string value, or {@code null} when {@code value} is null. */
    public JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        writeString(value);
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        writeLong(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        writeAscii(value ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        writeAscii("null");
        return this;
    }

    /** Writes {@code value} and everything in it. */
    public JsonWriter value(JsonValue value) {
        switch (value) {
            case JsonValue.JsonObject(Map<String, JsonValue> members) -> {
                beginObject();
                members.forEach((k, v) -> name(k).value(v));
                endObject();
            }
            case JsonValue.JsonArray(var elements) -> {
                beginArray();
                elements.forEach(this::value);
                endArray();
            }
            case JsonValue.JsonString(String s) -> value(s);
            case JsonValue.JsonNumber(String text) -> {
                beforeValue();
                writeAscii(text);
            }
            case JsonValue.JsonBool(boolean b) -> value(b);
            case JsonValue.JsonNull() -> nullValue();
        }
        return this;
    }

    /**
     * Copies {@code json}, which must be one complete JSON value in UTF-8 (for example bytes this
     * class wrote earlier), as the next value. It is not checked: this is for splicing values that
     * were encoded once, such as a chat room's stored history.
     */
    public JsonWriter rawValue(byte[] json) {
        beforeValue();
        ensure(json.length);
        System.arraycopy(json, 0, buf, len, json.length);
        len += json.length;
        return this;
    }

    /** The bytes written so far; the document must be complete. */
    public byte[] toByteArray() {
        if (depth != 1 || stack[0] != NONEMPTY_DOCUMENT) {
            throw new IllegalStateException("the JSON document is incomplete");
        }
        return Arrays.copyOf(buf, len);
    }

    /** The number of bytes written so far. */
    public int size() {
        return len;
    }

    /** Empties the writer so that it can write another document, keeping its buffer. */
    public JsonWriter reset() {
        len = 0;
        depth = 1;
        stack[0] = EMPTY_DOCUMENT;
        return this;
    }

    private void beforeValue() {
        int top = depth - 1;
        switch (stack[top]) {
            case EMPTY_DOCUMENT -> stack[top] = NONEMPTY_DOCUMENT;
            case EMPTY_ARRAY -> stack[top] = NONEMPTY_ARRAY;
            case NONEMPTY_ARRAY -> writeByte(',');
            case DANGLING_NAME -> stack[top] = NONEMPTY_OBJECT;
            case NONEMPTY_DOCUMENT -> throw new IllegalStateException("a JSON document holds one value");
            default -> throw new IllegalStateException("a value where an object member's name is due");
        }
    }

    private void push(byte state) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = state;
    }

    private void writeString(String s) {
        int n = s.length();
        ensure(n * 6 + 2); // the worst case: every char a six-byte escape
        byte[] b = buf;
        int p = len;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ASCII_ESCAPES[c];
                if (e == 0) {
                    b[p++] = (byte) c;
                } else if (e == 'u') {
                    p = unicodeEscape(b, p, c);
                } else {
                    b[p++] = '\\';
                    b[p++] = e;
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                    i++;
                } else {
                    b[p++] = (byte) 0xEF; // U+FFFD for a lone surrogate
                    b[p++] = (byte) 0xBF;
                    b[p++] = (byte) 0xBD;
                }
            } else if (c == '\u2028' || c == '\u2029') {
                p = unicodeEscape(b, p, c);
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        len = p;
    }

    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    private void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            writeAscii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int p = len + digits;
        len = p;
        do {
            buf[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
    }

    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): deprecated for non-ASCII, which never comes here
    private void writeAscii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, buf, len);
        len += n;
    }

    private void writeByte(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (buf.length - len < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
