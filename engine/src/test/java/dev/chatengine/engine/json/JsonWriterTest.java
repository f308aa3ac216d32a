package dev.chatengine.engine.json;

import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonBool;
import dev.chatengine.engine.json.JsonValue.JsonNull;
import dev.chatengine.engine.json.JsonValue.JsonNumber;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonWriterTest {

    @Test
    void writesAnObjectInOrder() {
        byte[] json = new JsonWriter()
                .beginObject()
                .name("type").value("message")
                .name("seq").value(17)
                .name("ok").value(true)
                .name("none").nullValue()
                .name("list").beginArray().value(1).value("x").beginObject().endObject().beginArray().endArray().endArray()
                .endObject()
                .toByteArray();
        assertThat(utf8(json)).isEqualTo("{\"type\":\"message\",\"seq\":17,\"ok\":true,\"none\":null,\"list\":[1,\"x\",{},[]]}");
    }

    @Test
    void escapesWhatRfc8259RequiresAndLineSeparators() {
        assertThat(string("\" \\ / \b \f \n \r \t")).isEqualTo("\"\\\" \\\\ / \\b \\f \\n \\r \\t\"");
        assertThat(string("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
        assertThat(string("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
        assertThat(string("<img src=x onerror=alert(1)>")).isEqualTo("\"<img src=x onerror=alert(1)>\"");
    }

    @Test
    void writesUtf8AndReplacesLoneSurrogates() {
        assertThat(new JsonWriter().value("é€😀").toByteArray())
                .isEqualTo("\"é€😀\"".getBytes(StandardCharsets.UTF_8));
        assertThat(string("a\uD800b")).isEqualTo("\"a\uFFFDb\"");
        assertThat(string("a\uDC00")).isEqualTo("\"a\uFFFD\"");
        assertThat(string("\uD83D")).isEqualTo("\"\uFFFD\"");
    }

    @Test
    void writesLongsExactly() {
        for (long v : new long[] {0, 1, -1, 9, 10, 99, 100, 1764121400123L, Long.MAX_VALUE, Long.MIN_VALUE, -1234567890123L}) {
            assertThat(utf8(new JsonWriter().value(v).toByteArray())).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void rawValuesAreSplicedAsGiven() {
        byte[] stored = new JsonWriter().beginObject().name("a").value(1).endObject().toByteArray();
        byte[] json = new JsonWriter().beginArray().rawValue(stored).rawValue(stored).endArray().toByteArray();
        assertThat(utf8(json)).isEqualTo("[{\"a\":1},{\"a\":1}]");
    }

    @Test
    void misuseIsAnIllegalStateNotBadJson() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().name("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").name("b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toByteArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().toByteArray()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resetReusesTheWriter() {
        JsonWriter w = new JsonWriter(16);
        w.beginArray().value("a long string that makes the buffer grow past sixteen bytes").endArray();
        w.reset().value(1);
        assertThat(utf8(w.toByteArray())).isEqualTo("1");
    }

    @Test
    void writesTreesThatReadBackEqual() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("s", new JsonString("tab\there \"q\" ☃ 𝄞 \u2028"));
        m.put("n", new JsonNumber("-1.5e-7"));
        m.put("b", JsonBool.FALSE);
        m.put("z", JsonNull.INSTANCE);
        m.put("a", new JsonArray(List.of(JsonNumber.of(Long.MIN_VALUE), new JsonObject(Map.of()))));
        JsonObject tree = new JsonObject(m);
        assertThat(JsonReader.defaults().parse(JsonWriter.write(tree))).isEqualTo(tree);
        assertThat(JsonWriter.toString(tree)).startsWith("{\"s\":\"tab\\there \\\"q\\\" ☃ 𝄞 \\u2028\",\"n\":-1.5e-7,");
    }

    @Test
    void everyRandomStringRoundTrips() {
        Random random = new Random(0);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(20);
            for (int j = 0; j < n; j++) {
                int kind = random.nextInt(4);
                int cp = switch (kind) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> random.nextInt(0x800);
                    case 2 -> random.nextInt(0xD800);
                    default -> 0x10000 + random.nextInt(0x100000);
                };
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            byte[] json = new JsonWriter().value(s).toByteArray();
            assertThat(JsonReader.defaults().parse(json)).as("%s", s).isEqualTo(new JsonString(s));
            // The fast path agrees with the JDK's own encoder on every unescaped character.
            assertThat(utf8(json)).isEqualTo(JsonWriter.toString(new JsonString(s)));
        }
    }

    private static String string(String s) {
        return utf8(new JsonWriter().value(s).toByteArray());
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
