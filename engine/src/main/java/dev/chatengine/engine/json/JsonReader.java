package dev.chatengine.engine.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A strict RFC 8259 JSON reader over UTF-8 bytes, with limits. Immutable and thread-safe: share one
 * instance; every {@link #parse} call keeps its state on its own.
 *
 * <pre>{@code
 * JsonReader reader = JsonReader.withLimits(32, 64 * 1024);
 * JsonValue value = reader.parse(utf8Bytes);   // or throws JsonException
 * }</pre>
 *
 * <p>What it accepts is exactly RFC 8259's grammar: one value (of any kind) surrounded by optional
 * whitespace (space, tab, CR, LF) and nothing after it. Where the RFC leaves a choice, this reader
 * takes the strict one, because it reads requests from untrusted peers:
 * <ul>
 *   <li>input that is not valid UTF-8 (overlong forms, encoded surrogates, beyond U+10FFFF) is rejected,
 *       and so is a byte order mark;</li>
 *   <li>a {@code \}{@code u} escape of a lone surrogate (a high one not followed by an escaped low one,
 *       or a low one alone) is rejected, so every string read is valid Unicode;</li>
 *   <li>an object that repeats a member name is rejected (RFC 8259 section 4 says names SHOULD be unique
 *       and that receivers disagree about repeats; rejecting them means no two readers can see
 *       different requests in the same bytes);</li>
 *   <li>numbers are kept as their text (no precision lost, no range limit other than the input size).</li>
 * </ul>
 * Nesting deeper than {@link #maxDepth()} and input longer than {@link #maxInputBytes()} are rejected
 * too, so that a hostile input costs bounded stack and time. Every failure is a {@link JsonException}
 * with the byte position; no other exception escapes for any input.
 */
public final class JsonReader {

    /** 32 levels: ample for a protocol's requests, tiny for the stack (the reader recurses once a level). */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /**
     * The deepest {@link #withLimits} allows: the reader recurses once a level, and 1,000 levels stay
     * far inside a default thread stack (and a virtual thread's), so no input can overflow it.
     */
    public static final int MAX_DEPTH_LIMIT = 1_000;
    /** 1 MiB. */
    public static final int DEFAULT_MAX_INPUT_BYTES = 1 << 20;

    private static final JsonReader DEFAULTS = new JsonReader(DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES);

    private final int maxDepth;
    private final int maxInputBytes;

    private JsonReader(int maxDepth, int maxInputBytes) {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxDepth must be from 1 to " + MAX_DEPTH_LIMIT + ": " + maxDepth);
        }
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be at least 1: " + maxInputBytes);
        }
        this.maxDepth = maxDepth;
        this.maxInputBytes = maxInputBytes;
    }

    /** A reader with {@link #DEFAULT_MAX_DEPTH} and {@link #DEFAULT_MAX_INPUT_BYTES}. */
    public static JsonReader defaults() {
        return DEFAULTS;
    }

    /**
     * A reader that rejects arrays and objects nested more than {@code maxDepth} deep (a top-level
     * {@code []} is depth 1) and inputs longer than {@code maxInputBytes}.
     *
     * @throws IllegalArgumentException when {@code maxDepth} is not from 1 to {@link #MAX_DEPTH_LIMIT}
     *         or {@code maxInputBytes} is less than 1
     */
    public static JsonReader withLimits(int maxDepth, int maxInputBytes) {
        return new JsonReader(maxDepth, maxInputBytes);
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int maxInputBytes() {
        return maxInputBytes;
    }

    /** Parses all of {@code utf8}, which is not kept. */
    public JsonValue parse(byte[] utf8) {
        return parse(utf8, 0, utf8.length);
    }

    /** Parses {@code length} bytes of {@code utf8} from {@code offset}; positions in errors count from {@code offset}. */
    public JsonValue parse(byte[] utf8, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, utf8.length);
        if (length > maxInputBytes) {
            throw new JsonException("input of " + length + " bytes exceeds the limit of " + maxInputBytes + " bytes",
                    maxInputBytes);
        }
        return new Parser(utf8, offset, offset + length, maxDepth).document();
    }

    /**
     * Parses a string. It is encoded to UTF-8 first, so a lone surrogate in {@code json} (which no
     * UTF-8 can carry) reaches the parser as {@code ?}; positions in errors are byte positions.
     */
    public JsonValue parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One parse: a cursor over the bytes. Not thread-safe; lives for one call. */
    private static final class Parser {
        private final byte[] b;
        private final int base;
        private final int end;
        private final int maxDepth;
        private int pos;
        private int depth;

        Parser(byte[] b, int start, int end, int maxDepth) {
            this.b = b;
            this.base = start;
            this.pos = start;
            this.end = end;
            this.maxDepth = maxDepth;
        }

        JsonValue document() {
            skipWhitespace();
            if (pos >= end) {
                throw error(pos == base ? "empty input, expected a JSON value" : "only whitespace, expected a JSON value");
            }
            JsonValue value = value();
            skipWhitespace();
            if (pos < end) {
                throw error("unexpected " + describe(b[pos]) + " after the JSON value");
            }
            return value;
        }

        private JsonValue value() {
            if (pos >= end) {
                throw error("unexpected end of input, expected a value");
            }
            return switch (b[pos]) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> new JsonValue.JsonString(string());
                case 't' -> literal("true", JsonValue.JsonBool.TRUE);
                case 'f' -> literal("false", JsonValue.JsonBool.FALSE);
                case 'n' -> literal("null", JsonValue.JsonNull.INSTANCE);
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
                default -> throw error("unexpected " + describe(b[pos]) + ", expected a value");
            };
        }

        private JsonValue object() {
            enter();
            pos++; // '{'
            LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < end && b[pos] == '}') {
                pos++;
                depth--;
                return new JsonValue.JsonObject(new FrozenMap(members));
            }
            while (true) {
                if (pos >= end || b[pos] != '"') {
                    throw error(pos >= end ? "unexpected end of input, expected a member name"
                            : "unexpected " + describe(b[pos]) + ", expected a member name (a string)");
                }
                int namePos = pos;
                String name = string();
                skipWhitespace();
                expect(':', "':' after a member name");
                skipWhitespace();
                JsonValue value = value();
                if (members.putIfAbsent(name, value) != null) {
                    throw new JsonException("duplicate member name \"" + abbreviate(name) + "\"", namePos - base);
                }
                skipWhitespace();
                if (pos < end && b[pos] == ',') {
                    pos++;
                    skipWhitespace();
                } else if (pos < end && b[pos] == '}') {
                    pos++;
                    depth--;
                    return new JsonValue.JsonObject(new FrozenMap(members));
                } else {
                    throw expected("',' or '}' in an object");
                }
            }
        }

        private JsonValue array() {
            enter();
            pos++; // '['
            List<JsonValue> elements = new ArrayList<>();
            skipWhitespace();
            if (pos < end && b[pos] == ']') {
                pos++;
                depth--;
                return new JsonValue.JsonArray(elements);
            }
            while (true) {
                elements.add(value());
                skipWhitespace();
                if (pos < end && b[pos] == ',') {
                    pos++;
                    skipWhitespace();
                } else if (pos < end && b[pos] == ']') {
                    pos++;
                    depth--;
                    return new JsonValue.JsonArray(elements);
                } else {
                    throw expected("',' or ']' in an array");
                }
            }
        }

        private void enter() {
            if (++depth > maxDepth) {
                throw error("nesting deeper than the limit of " + maxDepth);
            }
        }

        private JsonValue literal(String word, JsonValue value) {
            int n = word.length();
            if (end - pos < n) {
                throw error(matchesPrefix(word, end - pos) ? "unexpected end of input in '" + word + "'" : "invalid literal");
            }
            for (int i = 0; i < n; i++) {
                if (b[pos + i] != word.charAt(i)) {
                    throw error("invalid literal, expected '" + word + "'");
                }
            }
            pos += n;
            return value;
        }

        private boolean matchesPrefix(String word, int n) {
            for (int i = 0; i < n; i++) {
                if (b[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private JsonValue number() {
            int start = pos;
            int stop = JsonNumbers.scan(b, pos, end);
            if (stop < 0) {
                pos = -stop - 1;
                throw error(pos >= end ? "unexpected end of input in a number" : "invalid number: unexpected " + describe(b[pos]));
            }
            if (b[start + (b[start] == '-' ? 1 : 0)] == '0' && stop < end && b[stop] >= '0' && b[stop] <= '9') {
                pos = stop;
                throw error("invalid number: leading zeros are not allowed");
            }
            pos = stop;
            return new JsonValue.JsonNumber(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
        }

        /** Reads a string whose opening quote is at {@code pos}; leaves {@code pos} after the closing quote. */
        private String string() {
            int start = ++pos;
            // Fast path: printable ASCII without escapes, which most protocol strings are.
            while (pos < end) {
                byte c = b[pos];
                if (c == '"') {
                    pos++;
                    return new String(b, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
                }
                if (c < 0x20 || c == '\\') { // negative bytes (non-ASCII) are < 0x20 too
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
            while (pos < end) {
                int c = b[pos] & 0xFF;
                if (c == '"') {
                    pos++;
                    return sb.toString();
                } else if (c == '\\') {
                    escape(sb);
                } else if (c < 0x20) {
                    throw error("unescaped control character " + describe(b[pos]) + " in a string");
                } else if (c < 0x80) {
                    sb.append((char) c);
                    pos++;
                } else {
                    sb.appendCodePoint(utf8CodePoint(c));
                }
            }
            throw error("unterminated string");
        }

        private void escape(StringBuilder sb) {
            pos++; // '\'
            if (pos >= end) {
                throw error("unterminated escape sequence");
            }
            byte c = b[pos];
            switch (c) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int escapeStart = pos - 1;
                    char unit = hex4();
                    if (Character.isHighSurrogate(unit)) {
                        if (end - pos < 6 || b[pos] != '\\' || b[pos + 1] != 'u') {
                            throw new JsonException("lone high surrogate escape (not followed by a low surrogate escape)",
                                    escapeStart - base);
                        }
                        pos++; // '\'
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonException("high surrogate escape followed by a non-low-surrogate escape",
                                    escapeStart - base);
                        }
                        sb.append(unit).append(low);
                    } else if (Character.isLowSurrogate(unit)) {
                        throw new JsonException("lone low surrogate escape", escapeStart - base);
                    } else {
                        sb.append(unit);
                    }
                    return; // hex4 has moved pos past the digits
                }
                default -> throw error("invalid escape sequence '\\" + (c >= 0x21 && c < 0x7F ? String.valueOf((char) c) : "")
                        + "'" + (c >= 0x21 && c < 0x7F ? "" : " (" + describe(c) + ")"));
            }
            pos++;
        }

        /** Reads the four hex digits after a 'u' at {@code pos}; leaves {@code pos} after them. */
        private char hex4() {
            pos++; // 'u'
            int v = 0;
            for (int i = 0; i < 4; i++, pos++) {
                if (pos >= end) {
                    throw error("unexpected end of input in a \\u escape");
                }
                int d = Character.digit(b[pos] & 0xFF, 16);
                if (d < 0 || b[pos] < 0) {
                    throw error("invalid hex digit " + describe(b[pos]) + " in a \\u escape");
                }
                v = (v << 4) | d;
            }
            return (char) v;
        }

        /** Decodes one UTF-8 sequence whose lead byte {@code lead} is at {@code pos}, strictly (RFC 3629 table). */
        private int utf8CodePoint(int lead) {
            int need;
            int cp;
            int lo = 0x80;
            int hi = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
                cp = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                cp = lead & 0x0F;
                if (lead == 0xE0) {
                    lo = 0xA0; // no overlong forms
                } else if (lead == 0xED) {
                    hi = 0x9F; // no encoded surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                cp = lead & 0x07;
                if (lead == 0xF0) {
                    lo = 0x90;
                } else if (lead == 0xF4) {
                    hi = 0x8F; // nothing beyond U+10FFFF
                }
            } else {
                throw error("invalid UTF-8 byte " + describe((byte) lead));
            }
            int start = pos++;
            for (int i = 0; i < need; i++, pos++) {
                if (pos >= end) {
                    throw new JsonException("truncated UTF-8 sequence", start - base);
                }
                int c = b[pos] & 0xFF;
                if (c < lo || c > hi) {
                    throw new JsonException("invalid UTF-8 sequence", start - base);
                }
                lo = 0x80;
                hi = 0xBF;
                cp = (cp << 6) | (c & 0x3F);
            }
            return cp;
        }

        private void skipWhitespace() {
            while (pos < end) {
                byte c = b[pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private void expect(char c, String what) {
            if (pos < end && b[pos] == c) {
                pos++;
                return;
            }
            throw expected(what);
        }

        private JsonException expected(String what) {
            return error(pos >= end ? "unexpected end of input, expected " + what
                    : "unexpected " + describe(b[pos]) + ", expected " + what);
        }

        private JsonException error(String problem) {
            return new JsonException(problem, pos - base);
        }

        private static String describe(byte c) {
            if (c >= 0x21 && c < 0x7F) {
                return "'" + (char) c + "'";
            }
            return String.format("byte 0x%02X", c & 0xFF);
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "...";
        }
    }
}
