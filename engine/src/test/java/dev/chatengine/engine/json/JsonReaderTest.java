package dev.chatengine.engine.json;

import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonBool;
import dev.chatengine.engine.json.JsonValue.JsonNull;
import dev.chatengine.engine.json.JsonValue.JsonNumber;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Valid and invalid inputs in the manner of JSONTestSuite (y_ must pass, n_ must fail), named like its files. */
class JsonReaderTest {

    private static final JsonReader READER = JsonReader.defaults();

    /** Inputs every RFC 8259 parser must accept (JSONTestSuite's y_ cases, written inline). */
    private static final Map<String, String> VALID = new LinkedHashMap<>();
    /** Inputs a strict parser must reject, with what each checks. */
    private static final Map<String, String> INVALID = new LinkedHashMap<>();

    static {
        VALID.put("y_array_arraysWithSpaces", "[[]   ]");
        VALID.put("y_array_empty", "[]");
        VALID.put("y_array_empty-string", "[\"\"]");
        VALID.put("y_array_false", "[false]");
        VALID.put("y_array_heterogeneous", "[null, 1, \"1\", {}]");
        VALID.put("y_array_null", "[null]");
        VALID.put("y_array_with_leading_space", " [1]");
        VALID.put("y_array_with_several_null", "[1,null,null,null,2]");
        VALID.put("y_array_with_trailing_space", "[2] ");
        VALID.put("y_number_0e+1", "[0e+1]");
        VALID.put("y_number_0e1", "[0e1]");
        VALID.put("y_number_after_space", "[ 4]");
        VALID.put("y_number_double_close_to_zero", "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]");
        VALID.put("y_number_int_with_exp", "[20e1]");
        VALID.put("y_number_minus_zero", "[-0]");
        VALID.put("y_number_negative_int", "[-123]");
        VALID.put("y_number_negative_one", "[-1]");
        VALID.put("y_number_real_capital_e", "[1E22]");
        VALID.put("y_number_real_capital_e_neg_exp", "[1E-2]");
        VALID.put("y_number_real_capital_e_pos_exp", "[1E+2]");
        VALID.put("y_number_real_exponent", "[123e45]");
        VALID.put("y_number_real_fraction_exponent", "[123.456e78]");
        VALID.put("y_number_simple_real", "[123.456789]");
        VALID.put("y_number_huge_exp", "[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]");
        VALID.put("y_object", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}");
        VALID.put("y_object_basic", "{\"asd\":\"sdf\"}");
        VALID.put("y_object_empty", "{}");
        VALID.put("y_object_empty_key", "{\"\":0}");
        VALID.put("y_object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}");
        VALID.put("y_object_extreme_numbers", "{ \"min\": -1.0e+28, \"max\": 1.0e+28 }");
        VALID.put("y_object_long_strings", "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}");
        VALID.put("y_object_simple", "{\"a\":[]}");
        VALID.put("y_object_with_newlines", "{\n\"a\": \"b\"\n}");
        VALID.put("y_string_1_2_3_bytes_UTF-8_sequences", "[\"\\u0060\\u012a\\u12AB\"]");
        VALID.put("y_string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]");
        VALID.put("y_string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]");
        VALID.put("y_string_backslash_and_u_escaped_zero", "[\"\\\\u0000\"]");
        VALID.put("y_string_comments", "[\"a/*b*/c/*d//e\"]");
        VALID.put("y_string_in_array_with_leading_space", "[ \"asd\"]");
        VALID.put("y_string_last_surrogates_1_and_2", "[\"\\uDBFF\\uDFFF\"]");
        VALID.put("y_string_nonCharacterInUTF-8_U+FFFF", "[\"\uFFFF\"]");
        VALID.put("y_string_null_escape", "[\"\\u0000\"]");
        VALID.put("y_string_pi", "[\"π\"]");
        VALID.put("y_string_reservedCharacterInUTF-8_U+1BFFF", "[\"\uD82F\uDFFF\"]");
        VALID.put("y_string_u+2028_line_sep", "[\"\u2028\"]");
        VALID.put("y_string_unicode_U+10FFFE_nonchar", "[\"\\uDBFF\\uDFFE\"]");
        VALID.put("y_string_utf8", "[\"€𝄞\"]");
        VALID.put("y_string_with_del_character", "[\"a\u007Fa\"]");
        VALID.put("y_structure_lonely_false", "false");
        VALID.put("y_structure_lonely_int", "42");
        VALID.put("y_structure_lonely_negative_real", "-0.1");
        VALID.put("y_structure_lonely_null", "null");
        VALID.put("y_structure_lonely_string", "\"asd\"");
        VALID.put("y_structure_lonely_true", "true");
        VALID.put("y_structure_string_empty", "\"\"");
        VALID.put("y_structure_trailing_newline", "[\"a\"]\n");
        VALID.put("y_structure_true_in_array", "[true]");
        VALID.put("y_structure_whitespace_array", " [] ");
        VALID.put("y_nested_32_deep", "[".repeat(32) + "]".repeat(32));

        INVALID.put("n_array_1_true_without_comma", "[1 true]");
        INVALID.put("n_array_comma_and_number", "[,1]");
        INVALID.put("n_array_double_comma", "[1,,2]");
        INVALID.put("n_array_extra_close", "[\"x\"]]");
        INVALID.put("n_array_extra_comma", "[\"\",]");
        INVALID.put("n_array_incomplete", "[\"x\"");
        INVALID.put("n_array_inner_array_no_comma", "[3[4]]");
        INVALID.put("n_array_just_comma", "[,]");
        INVALID.put("n_array_missing_value", "[   , \"\"]");
        INVALID.put("n_array_number_and_comma", "[1,]");
        INVALID.put("n_array_unclosed", "[\"\"");
        INVALID.put("n_array_unclosed_trailing_comma", "[1,");
        INVALID.put("n_array_colon_instead_of_comma", "[\"\": 1]");
        INVALID.put("n_incomplete_false", "[fals]");
        INVALID.put("n_incomplete_null", "[nul]");
        INVALID.put("n_incomplete_true", "[tru]");
        INVALID.put("n_number_++", "[++1234]");
        INVALID.put("n_number_+1", "[+1]");
        INVALID.put("n_number_-01", "[-01]");
        INVALID.put("n_number_-1.0.", "[-1.0.]");
        INVALID.put("n_number_.-1", "[.-1]");
        INVALID.put("n_number_.2e-3", "[.2e-3]");
        INVALID.put("n_number_0.e1", "[0.e1]");
        INVALID.put("n_number_012", "[012]");
        INVALID.put("n_number_1.0e", "[1.0e]");
        INVALID.put("n_number_1.0e+", "[1.0e+]");
        INVALID.put("n_number_1eE2", "[1eE2]");
        INVALID.put("n_number_2.e3", "[2.e3]");
        INVALID.put("n_number_Inf", "[Inf]");
        INVALID.put("n_number_NaN", "[NaN]");
        INVALID.put("n_number_infinity", "[Infinity]");
        INVALID.put("n_number_minus_infinity", "[-Infinity]");
        INVALID.put("n_number_minus_sign_with_trailing_garbage", "[-foo]");
        INVALID.put("n_number_hex_1_digit", "[0x1]");
        INVALID.put("n_number_with_leading_zero", "[012]");
        INVALID.put("n_number_real_without_fractional_part", "[1.]");
        INVALID.put("n_number_starting_with_dot", "[.123]");
        INVALID.put("n_number_U+FF11_fullwidth_digit_one", "[\uFF11]");
        INVALID.put("n_object_bad_value", "[\"x\", truth]");
        INVALID.put("n_object_comma_instead_of_colon", "{\"x\", null}");
        INVALID.put("n_object_double_colon", "{\"x\"::\"b\"}");
        INVALID.put("n_object_missing_colon", "{\"a\" b}");
        INVALID.put("n_object_missing_key", "{:\"b\"}");
        INVALID.put("n_object_missing_value", "{\"a\":");
        INVALID.put("n_object_no-colon", "{\"a\"");
        INVALID.put("n_object_non_string_key", "{1:1}");
        INVALID.put("n_object_single_quote", "{'a':0}");
        INVALID.put("n_object_trailing_comma", "{\"id\":0,}");
        INVALID.put("n_object_trailing_comment", "{\"a\":\"b\"}/**/");
        INVALID.put("n_object_unquoted_key", "{a: \"b\"}");
        INVALID.put("n_object_with_trailing_garbage", "{\"a\": true} \"x\"");
        INVALID.put("n_object_duplicated_key (strict choice)", "{\"a\":\"b\",\"a\":\"c\"}");
        INVALID.put("n_string_1_surrogate_then_escape", "[\"\\uD800\\\"]");
        INVALID.put("n_string_escape_x", "[\"\\x00\"]");
        INVALID.put("n_string_escaped_backslash_bad", "[\"\\\\\\\"]");
        INVALID.put("n_string_escaped_emoji", "[\"\\🌀\"]");
        INVALID.put("n_string_incomplete_escape", "[\"\\\"]");
        INVALID.put("n_string_incomplete_surrogate_escape_invalid", "[\"\\uD800\\uD800\\x\"]");
        INVALID.put("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]");
        INVALID.put("n_string_no_quotes_with_bad_escape", "[\\n]");
        INVALID.put("n_string_single_quote", "['single quote']");
        INVALID.put("n_string_unescaped_newline", "[\"new\nline\"]");
        INVALID.put("n_string_unescaped_tab", "[\"\t\"]");
        INVALID.put("n_string_unescaped_ctrl_char", "[\"a\u0000a\"]");
        INVALID.put("n_string_start_escape_unclosed", "[\"\\");
        INVALID.put("n_string_lone_high_surrogate (strict choice)", "[\"\\uD800\"]");
        INVALID.put("n_string_lone_low_surrogate (strict choice)", "[\"\\uDC00\"]");
        INVALID.put("n_string_inverted_surrogates (strict choice)", "[\"\\uDC00\\uD800\"]");
        INVALID.put("n_string_high_then_non_surrogate (strict choice)", "[\"\\uD800\\u0041\"]");
        INVALID.put("n_structure_angle_bracket_null", "[<null>]");
        INVALID.put("n_structure_array_trailing_garbage", "[1]x");
        INVALID.put("n_structure_capitalized_True", "[True]");
        INVALID.put("n_structure_close_unopened_array", "1]");
        INVALID.put("n_structure_double_array", "[][]");
        INVALID.put("n_structure_end_array", "]");
        INVALID.put("n_structure_lone-open-bracket", "[");
        INVALID.put("n_structure_no_data", "");
        INVALID.put("n_structure_whitespace_only", " \n\t ");
        INVALID.put("n_structure_null-byte-outside-string", "[\u0000]");
        INVALID.put("n_structure_object_with_comment", "{\"a\":/*comment*/\"b\"}");
        INVALID.put("n_structure_open_object", "{");
        INVALID.put("n_structure_single_star", "*");
        INVALID.put("n_structure_trailing_#", "{\"a\":\"b\"}#{}");
        INVALID.put("n_structure_unclosed_object", "{\"asd\":\"asd\"");
        INVALID.put("n_structure_U+2060_word_joined", "[\u2060]");
        INVALID.put("n_structure_whitespace_formfeed", "[\f]");
        INVALID.put("n_structure_UTF8_BOM_no_data", "\uFEFF");
        INVALID.put("n_structure_UTF8_BOM_object (strict choice)", "\uFEFF{}");
        INVALID.put("n_nested_33_deep (limit)", "[".repeat(33) + "]".repeat(33));
    }

    /** Byte-level invalid inputs: bad UTF-8, in hex. */
    private static final Map<String, String> INVALID_HEX = new LinkedHashMap<>();

    static {
        INVALID_HEX.put("n_string_invalid_utf8 [\"\\xFF\"]", "5b22ff225d");
        INVALID_HEX.put("n_string_lone_continuation [\"\\x80\"]", "5b22805d");
        INVALID_HEX.put("n_string_overlong_slash C0AF", "5b22c0af225d");
        INVALID_HEX.put("n_string_overlong_3byte E080AF", "5b22e080af225d");
        INVALID_HEX.put("n_string_overlong_4byte F08080AF", "5b22f08080af225d");
        INVALID_HEX.put("n_string_utf8_surrogate ED A0 80 (U+D800)", "5b22eda080225d");
        INVALID_HEX.put("n_string_beyond_U+10FFFF F4 90 80 80", "5b22f4908080225d");
        INVALID_HEX.put("n_string_F5 lead byte", "5b22f5808080225d");
        INVALID_HEX.put("n_string_truncated_2byte C3 then quote", "5b22c3225d");
        INVALID_HEX.put("n_string_truncated_at_end E282", "5b22e282");
        INVALID_HEX.put("n_structure_non_ascii_outside_string E282AC", "5be282ac5d");
        INVALID_HEX.put("n_string_iso_latin_1 E9", "5b22e9225d");
    }

    @TestFactory
    Stream<DynamicTest> acceptsEveryValidInput() {
        return VALID.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            JsonValue v = READER.parse(e.getValue());
            // What it read, written and read again, is the same value.
            assertThat(READER.parse(JsonWriter.write(v))).isEqualTo(v);
        }));
    }

    @TestFactory
    Stream<DynamicTest> rejectsEveryInvalidInput() {
        return Stream.concat(
                INVALID.entrySet().stream().map(e -> dynamicTest(e.getKey(), () ->
                        assertThatThrownBy(() -> READER.parse(e.getValue())).isInstanceOf(JsonException.class))),
                INVALID_HEX.entrySet().stream().map(e -> dynamicTest(e.getKey(), () ->
                        assertThatThrownBy(() -> READER.parse(HexFormat.of().parseHex(e.getValue())))
                                .isInstanceOf(JsonException.class))));
    }

    @Test
    void readsEveryKindOfValue() {
        JsonValue v = READER.parse("""
                {"s":"a\\u00e9\\n","n":-12.5e3,"t":true,"f":false,"z":null,"a":[1,{}],"o":{"k":[]}}""");
        JsonObject o = (JsonObject) v;
        assertThat(o.members().keySet()).containsExactly("s", "n", "t", "f", "z", "a", "o");
        assertThat(o.get("s")).isEqualTo(new JsonString("aé\n"));
        assertThat(o.get("n")).isEqualTo(new JsonNumber("-12.5e3"));
        assertThat(o.get("t")).isEqualTo(JsonBool.TRUE);
        assertThat(o.get("f")).isEqualTo(JsonBool.FALSE);
        assertThat(o.get("z")).isEqualTo(JsonNull.INSTANCE);
        assertThat(o.get("a")).isEqualTo(new JsonArray(List.of(JsonNumber.of(1), new JsonObject(Map.of()))));
        assertThat(o.get("missing")).isNull();
    }

    @Test
    void decodesEscapesAndUtf8() {
        assertThat(READER.parse("\"\\uD834\\uDD1E \\\" \\\\ \\/ \\b\\f\\n\\r\\t\""))
                .isEqualTo(new JsonString("\uD834\uDD1E \" \\ / \b\f\n\r\t"));
        assertThat(READER.parse("\"h\u00e9llo \u20ac \uD83D\uDE00\"")).isEqualTo(new JsonString("héllo € 😀"));
        assertThat(READER.parse("\"\\u00E9\\u00e9\"")).isEqualTo(new JsonString("éé"));
    }

    @Test
    void numbersKeepTheirTextAndConvertToLongOnlyWhenExact() {
        assertThat(((JsonNumber) READER.parse("17")).asLong()).hasValue(17);
        assertThat(((JsonNumber) READER.parse("-0")).asLong()).hasValue(0);
        assertThat(((JsonNumber) READER.parse("17.0")).asLong()).hasValue(17);
        assertThat(((JsonNumber) READER.parse("1.7e1")).asLong()).hasValue(17);
        assertThat(((JsonNumber) READER.parse("9223372036854775807")).asLong()).hasValue(Long.MAX_VALUE);
        assertThat(((JsonNumber) READER.parse("-9223372036854775808")).asLong()).hasValue(Long.MIN_VALUE);
        assertThat(((JsonNumber) READER.parse("9223372036854775808")).asLong()).isEmpty();
        assertThat(((JsonNumber) READER.parse("1.5")).asLong()).isEmpty();
        assertThat(((JsonNumber) READER.parse("1e400")).asLong()).isEmpty();
        assertThat(((JsonNumber) READER.parse("1e99999999999")).asLong()).isEmpty();
        assertThat(((JsonNumber) READER.parse("1e-99999999999")).asLong()).isEmpty();
        assertThat(((JsonNumber) READER.parse("12.50")).text()).isEqualTo("12.50");
    }

    @Test
    void jsonNumberRejectsTextThatIsNotANumber() {
        for (String bad : List.of("", "01", "1.", "+1", "NaN", "1e", "--1", " 1", "١")) {
            assertThatThrownBy(() -> new JsonNumber(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(JsonNumber.of(new java.math.BigDecimal("1E+3")).text()).isEqualTo("1e3");
    }

    @Test
    void errorsNameTheBytePositionAndTheProblem() {
        assertError("{\"a\" 1}", 5, "expected ':'");
        assertError("[1,]", 3, "expected a value");
        assertError("[1 2]", 3, "expected ',' or ']'");
        assertError("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
        assertError("[1]x", 3, "after the JSON value");
        assertError("", 0, "empty input");
        assertError("[\"ab", 4, "unterminated string");
        assertError("[012]", 2, "leading zeros");
        assertError("[\"a\nb\"]", 3, "unescaped control character byte 0x0A");
        assertError("[\"\\uD800x\"]", 2, "lone high surrogate");
        assertError("[\"\\q\"]", 3, "invalid escape sequence '\\q'");
        assertError("{\"type\":1,\"type\":2}", 10, "duplicate member name \"type\"");
        assertError("[tru]", 1, "expected 'true'");
        assertError("[1.]", 3, "invalid number");
        assertError("[-", 2, "end of input in a number");
        assertThatThrownBy(() -> READER.parse(HexFormat.of().parseHex("5b22eda080225d")))
                .isInstanceOf(JsonException.class).hasMessageContaining("invalid UTF-8").extracting("position").isEqualTo(2);
    }

    @Test
    void enforcesDepthAndSizeLimits() {
        JsonReader reader = JsonReader.withLimits(3, 20);
        assertThat(reader.parse("[[[]]]")).isNotNull();
        assertError(reader, "[[[[]]]]", 3, "nesting deeper than the limit of 3");
        assertError(reader, "{\"a\":{\"b\":{\"c\":{}}}}", 15, "nesting deeper");
        assertThat(reader.parse("\"" + "x".repeat(18) + "\"")).isEqualTo(new JsonString("x".repeat(18)));
        assertError(reader, "\"" + "x".repeat(19) + "\"", 20, "exceeds the limit of 20 bytes");
        assertThatThrownBy(() -> JsonReader.withLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deepNestingBeyondAnyLimitIsAnErrorNotAStackOverflow() {
        JsonReader deepest = JsonReader.withLimits(JsonReader.MAX_DEPTH_LIMIT, Integer.MAX_VALUE);
        assertError("[".repeat(1_000_000), 32, "nesting deeper");
        assertError("{\"a\":".repeat(100_000), 5 * 32, "nesting deeper");
        int max = JsonReader.MAX_DEPTH_LIMIT;
        assertThat(deepest.parse("[".repeat(max) + "]".repeat(max))).isInstanceOf(JsonArray.class);
        assertError(deepest, "[".repeat(1_000_000), max, "nesting deeper");
        assertThatThrownBy(() -> JsonReader.withLimits(max + 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesASliceWithPositionsRelativeToIt() {
        byte[] bytes = "xx[1]]yy".getBytes(StandardCharsets.UTF_8);
        assertThat(READER.parse(bytes, 2, 3)).isEqualTo(new JsonArray(List.of(JsonNumber.of(1))));
        assertThatThrownBy(() -> READER.parse(bytes, 2, 4)).isInstanceOf(JsonException.class)
                .extracting("position").isEqualTo(3);
    }

    @Test
    void objectsKeepInsertionOrderAndAreImmutable() {
        JsonObject o = (JsonObject) READER.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(o.members().keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> o.members().put("x", JsonNull.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
        JsonArray a = (JsonArray) READER.parse("[1]");
        assertThatThrownBy(() -> a.elements().add(JsonNull.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertError(String json, int position, String messagePart) {
        assertError(READER, json, position, messagePart);
    }

    private static void assertError(JsonReader reader, String json, int position, String messagePart) {
        assertThatThrownBy(() -> reader.parse(json))
                .as(json.length() > 60 ? json.substring(0, 60) + "..." : json)
                .isInstanceOf(JsonException.class)
                .hasMessageContaining(messagePart)
                .hasMessageEndingWith("at byte " + position)
                .extracting("position").isEqualTo(position);
    }
}
