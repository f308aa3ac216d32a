package dev.chatengine.engine.json;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A JSON value: one of six immutable records, consumed with an exhaustive {@code switch}.
 *
 * <pre>{@code
 * JsonValue v = JsonReader.defaults().parse(bytes);
 * if (v instanceof JsonValue.JsonObject obj && obj.get("type") instanceof JsonValue.JsonString(String type)) { ... }
 * }</pre>
 *
 * <p>Collections are copied into unmodifiable ones on construction, so a value never changes and
 * may be shared between threads.
 */
public sealed interface JsonValue {

    /**
     * An object. The members keep the order in which they were given (or parsed); names are unique
     * (the reader rejects an object that repeats a name).
     */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            if (!(members instanceof FrozenMap)) { // the reader's maps are frozen already: no copy
                LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
                copy.forEach((k, v) -> {
                    Objects.requireNonNull(k, "a member name");
                    Objects.requireNonNull(v, k);
                });
                members = new FrozenMap(copy);
            }
        }

        /** The member named {@code name}, or null when there is none. */
        public JsonValue get(String name) {
            return members.get(name);
        }

        /** True when the object has a member named {@code name}. */
        public boolean has(String name) {
            return members.containsKey(name);
        }

        public int size() {
            return members.size();
        }
    }

    /** An array; the list is an unmodifiable copy. */
    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        public JsonValue get(int index) {
            return elements.get(index);
        }

        public int size() {
            return elements.size();
        }
    }

    /** A string, already unescaped. Never holds a lone surrogate when it came from the reader. */
    record JsonString(String value) implements JsonValue {
        public JsonString {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A number, kept exactly as its JSON text (for example {@code -0}, {@code 1.50} or {@code 1e400}),
     * so that nothing is lost; convert it with {@link #asLong()} or {@link #toBigDecimal()}.
     *
     * @param text the number's text, which must match RFC 8259's number grammar
     */
    record JsonNumber(String text) implements JsonValue {
        public JsonNumber {
            Objects.requireNonNull(text, "text");
            if (!JsonNumbers.isValid(text)) {
                throw new IllegalArgumentException("not a JSON number: " + text);
            }
        }

        /** The number {@code value}. */
        public static JsonNumber of(long value) {
            return new JsonNumber(Long.toString(value));
        }

        /** The number {@code value}, in plain notation when its scale allows. */
        public static JsonNumber of(BigDecimal value) {
            return new JsonNumber(value.toString().replace("E+", "e").replace('E', 'e'));
        }

        /**
         * The value as a long when it is an integer that fits one exactly ({@code 17}, {@code 17.0},
         * {@code 1.7e1}); empty for {@code 1.5}, {@code 1e20} and the like.
         */
        public OptionalLong asLong() {
            return JsonNumbers.asLong(text);
        }

        /** The exact value. Beware of texts like {@code 1e999999999}: they make huge numbers. */
        public BigDecimal toBigDecimal() {
            return new BigDecimal(text);
        }

        /** The nearest double (infinite when out of range). */
        public double toDouble() {
            return Double.parseDouble(text);
        }
    }

    /** {@code true} or {@code false}. */
    record JsonBool(boolean value) implements JsonValue {
        public static final JsonBool TRUE = new JsonBool(true);
        public static final JsonBool FALSE = new JsonBool(false);

        public static JsonBool of(boolean value) {
            return value ? TRUE : FALSE;
        }
    }

    /** {@code null}. All instances are equal; use {@link #INSTANCE}. */
    record JsonNull() implements JsonValue {
        public static final JsonNull INSTANCE = new JsonNull();
    }
}
