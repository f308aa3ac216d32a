package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decoder alone: JSON in, a Request or a ChatError out. */
class RequestDecoderTest {

    private final RequestDecoder decoder = new RequestDecoder(ChatConfig.defaults());

    @Test
    void decodesEveryRequestType() {
        assertThat(decode("{\"type\":\"login\",\"name\":\"alice\"}")).isEqualTo(new Request.Login("alice", null));
        assertThat(decode("{\"type\":\"join\",\"room\":\"java\"}")).isEqualTo(new Request.Join("java", OptionalLong.empty(), null));
        assertThat(decode("{\"type\":\"join\",\"room\":\"java\",\"since\":17}")).isEqualTo(new Request.Join("java", OptionalLong.of(17), null));
        assertThat(decode("{\"type\":\"join\",\"room\":\"java\",\"since\":null}")).isEqualTo(new Request.Join("java", OptionalLong.empty(), null));
        assertThat(decode("{\"type\":\"join\",\"room\":\"java\",\"since\":1.7e1}")).isEqualTo(new Request.Join("java", OptionalLong.of(17), null));
        assertThat(decode("{\"type\":\"leave\",\"room\":\"java\"}")).isEqualTo(new Request.Leave("java"));
        assertThat(decode("{\"text\":\"hi\",\"room\":\"java\",\"type\":\"say\"}")).isEqualTo(new Request.Say("java", "hi", null));
        assertThat(decode("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"psst\"}")).isEqualTo(new Request.Whisper("bob", "psst", null));
        assertThat(decode("{\"type\":\"who\",\"room\":\"java\"}")).isEqualTo(new Request.Who("java"));
        assertThat(decode("{\"type\":\"rooms\"}")).isEqualTo(new Request.ListRooms(100, null));
    }

    @Test
    void decodesTheAdditionsOfProtocolOnePointOne() {
        assertThat(decode("{\"type\":\"login\",\"resume\":\"tok\"}")).isEqualTo(new Request.Login(null, "tok"));
        assertThat(decode("{\"type\":\"login\",\"name\":\"अनिल\",\"resume\":\"tok\"}")).isEqualTo(new Request.Login("अनिल", "tok"));
        assertThat(decode("{\"type\":\"join\",\"room\":\"java\",\"since\":3,\"epoch\":\"e1\"}"))
                .isEqualTo(new Request.Join("java", OptionalLong.of(3), "e1"));
        assertThat(decode("{\"type\":\"say\",\"room\":\"java\",\"text\":\"hi\",\"id\":\"m-1\"}")).isEqualTo(new Request.Say("java", "hi", "m-1"));
        assertThat(decode("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"hi\",\"id\":\"w\"}")).isEqualTo(new Request.Whisper("bob", "hi", "w"));
        assertThat(decode("{\"type\":\"rooms\",\"limit\":5,\"cursor\":\"3:java\"}")).isEqualTo(new Request.ListRooms(5, "3:java"));
        assertThat(decode("{\"type\":\"typing\",\"room\":\"java\"}")).isEqualTo(new Request.Typing("java"));
        assertThat(decode("{\"type\":\"online\",\"names\":[\"bob\",\"carol\"]}")).isEqualTo(new Request.Online(java.util.List.of("bob", "carol")));
        assertError("{\"type\":\"rooms\",\"limit\":0}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"rooms\",\"limit\":101}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"say\",\"room\":\"a\",\"text\":\"x\",\"id\":\"" + "i".repeat(65) + "\"}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"say\",\"room\":\"a\",\"text\":\"x\",\"id\":\"\"}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"online\",\"names\":[1]}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"online\",\"names\":[" + "\"a\",".repeat(50) + "\"a\"]}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"typing\"}", ErrorCode.BAD_REQUEST, null);
    }

    @Test
    void theEnvelopeCarriesTheRef() {
        RequestDecoder.Envelope e = decoder.envelope(utf8("{\"type\":\"rooms\",\"ref\":\"abc\"}"));
        assertThat(e.type()).isEqualTo(RequestType.ROOMS);
        assertThat(e.ref()).isEqualTo("abc");
        assertThat(decoder.refOrNull(utf8("{\"type\":\"nope\",\"ref\":\"x\"}"))).isEqualTo("x");
        assertThat(decoder.refOrNull(utf8("{oops"))).isNull();
    }

    @Test
    void errorsHaveTheirCodes() {
        assertError("nope", ErrorCode.BAD_JSON, null);
        assertError("[]", ErrorCode.BAD_JSON, null);
        assertError("{\"type\":\"x\",\"ref\":\"r\"}", ErrorCode.UNKNOWN_TYPE, "r");
        assertError("{\"type\":\"login\",\"name\":\"a b\",\"ref\":\"r\"}", ErrorCode.BAD_NAME, "r");
        assertError("{\"type\":\"join\",\"room\":\"A\",\"ref\":\"r\"}", ErrorCode.BAD_ROOM, "r");
        assertError("{\"type\":\"say\",\"room\":\"a\",\"text\":\"" + "x".repeat(4097) + "\",\"ref\":\"r\"}", ErrorCode.TOO_LONG, "r");
        assertError("{\"type\":\"say\",\"room\":\"a\",\"text\":\"\",\"ref\":\"r\"}", ErrorCode.BAD_REQUEST, "r");
        assertError("{\"type\":\"join\",\"room\":\"a\",\"since\":true}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"join\",\"room\":\"a\",\"since\":99999999999999999999}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"rooms\",\"ref\":{}}", ErrorCode.BAD_REQUEST, null);
        assertError("{\"type\":\"rooms\",\"ref\":\"" + "x".repeat(1 << 16) + "\"}", ErrorCode.TOO_LONG, null);
        assertError("[".repeat(9) + "]".repeat(9), ErrorCode.BAD_JSON, null);
    }

    private Request decode(String json) {
        return decoder.decode(decoder.envelope(utf8(json)));
    }

    private void assertError(String json, ErrorCode code, String ref) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(ChatError.class)
                .satisfies(t -> {
                    ChatError e = (ChatError) t;
                    assertThat(e.code()).as(json).isEqualTo(code);
                    assertThat(e.ref()).as(json).isEqualTo(ref);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
