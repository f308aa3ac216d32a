package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.RoomPage;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonBool;
import dev.chatengine.engine.json.JsonValue.JsonNumber;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md's examples against the implementation: every {@code json request} block is accepted by the
 * decoder, every {@code json reply} block is exactly what the encoder writes for its values (rebuilt from
 * the example's fields through {@link Replies}, so a field missing, extra, renamed or out of order fails),
 * and the document shows every request type, every reply type and names every error code.
 */
class ProtocolDocTest {

    private static final Pattern BLOCK = Pattern.compile("```json (request|reply)\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Set<String> REPLY_TYPES = Set.of("welcome", "joined", "left", "message", "direct", "presence",
            "members", "rooms", "typing", "room", "online", "error");

    private record Example(String kind, String json) {
    }

    private static String document() throws IOException {
        Path path = Path.of("..", "PROTOCOL.md"); // tests run in the module's directory
        if (!Files.exists(path)) {
            path = Path.of("PROTOCOL.md");
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    private static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(document());
        while (m.find()) {
            out.add(new Example(m.group(1), m.group(2).strip()));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyRequestExampleIsAccepted() throws IOException {
        RequestDecoder decoder = new RequestDecoder(ChatConfig.defaults());
        return examples().stream().filter(e -> e.kind().equals("request")).map(e -> DynamicTest.dynamicTest(e.json(), () -> {
            RequestDecoder.Envelope envelope = decoder.envelope(e.json().getBytes(StandardCharsets.UTF_8));
            assertThat(decoder.decode(envelope)).isNotNull();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyReplyExampleIsWhatTheEncoderWrites() throws IOException {
        return examples().stream().filter(e -> e.kind().equals("reply")).map(e -> DynamicTest.dynamicTest(e.json(), () -> {
            JsonObject o = (JsonObject) JsonReader.defaults().parse(e.json());
            assertThat(new String(rebuild(o), StandardCharsets.UTF_8)).isEqualTo(e.json());
        }));
    }

    @Test
    void theDocumentShowsEveryTypeAndNamesEveryErrorCode() throws IOException {
        Set<String> requests = new TreeSet<>();
        Set<String> replies = new TreeSet<>();
        for (Example e : examples()) {
            String type = str((JsonObject) JsonReader.defaults().parse(e.json()), "type");
            (e.kind().equals("request") ? requests : replies).add(type);
        }
        for (RequestType t : RequestType.values()) {
            assertThat(requests).as("a request example of every type").contains(t.wire());
        }
        assertThat(replies).as("a reply example of every type").containsAll(REPLY_TYPES);
        String doc = document();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(doc).as("the error table names %s", code).contains("| `" + code.wire() + "` |");
        }
    }

    /** The reply the encoder writes for the example's values. */
    private static byte[] rebuild(JsonObject o) {
        String ref = str(o, "ref");
        return switch (str(o, "type")) {
            case "welcome" -> Replies.welcome(str(o, "name"), str(o, "resume"), ref);
            case "joined" -> {
                List<byte[]> history = new ArrayList<>();
                for (JsonValue m : ((JsonArray) o.get("history")).elements()) {
                    history.add(rebuild((JsonObject) m));
                }
                JsonValue recovered = o.get("recovered");
                yield Replies.joined(str(o, "room"), str(o, "epoch"), strings(o, "members"), (int) num(o, "total"), history,
                        recovered == null ? null : ((JsonBool) recovered).value(), ref);
            }
            case "left" -> Replies.left(str(o, "room"), ref);
            case "message" -> Replies.message(new SequencedMessage("any", num(o, "seq"),
                    new ChatMessage(str(o, "room"), str(o, "from"), str(o, "text"), num(o, "ts"))), str(o, "id"), ref);
            case "direct" -> Replies.direct(new Direct(str(o, "from"), str(o, "to"), str(o, "text"), num(o, "ts")),
                    str(o, "id"), ref);
            case "presence" -> Replies.presence(str(o, "room"), str(o, "name"), str(o, "event"));
            case "members" -> Replies.members(str(o, "room"), strings(o, "members"), (int) num(o, "total"), ref);
            case "rooms" -> {
                List<RoomPage.RoomInfo> rooms = new ArrayList<>();
                for (JsonValue r : ((JsonArray) o.get("rooms")).elements()) {
                    rooms.add(new RoomPage.RoomInfo(str((JsonObject) r, "name"), (int) num((JsonObject) r, "members")));
                }
                yield Replies.rooms(new RoomPage(rooms, (int) num(o, "total"), str(o, "next")), ref);
            }
            case "typing" -> Replies.typing(str(o, "room"), str(o, "name"));
            case "room" -> Replies.roomEvent(str(o, "room"), str(o, "event"));
            case "online" -> Replies.online(strings(o, "names"), ref);
            case "error" -> Replies.error(str(o, "code"), str(o, "message"), o.has("retryAfterMs") ? num(o, "retryAfterMs") : -1, ref);
            default -> throw new AssertionError("no such reply type: " + o);
        };
    }

    private static String str(JsonObject o, String field) {
        return o.get(field) instanceof JsonString(String s) ? s : null;
    }

    private static long num(JsonObject o, String field) {
        return ((JsonNumber) o.get(field)).asLong().orElseThrow();
    }

    private static List<String> strings(JsonObject o, String field) {
        return ((JsonArray) o.get(field)).elements().stream().map(v -> ((JsonString) v).value()).toList();
    }
}
