package dev.chatengine.engine.chat;

import dev.chatengine.engine.json.JsonException;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonValue.JsonNumber;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns a request frame into a {@link Request}, or a {@link ChatError} that says why not. Pure:
 * no state beyond its configuration, thread-safe, testable without a hub.
 *
 * <p>Two steps, so that the service can check the login between them: {@link #envelope} reads the
 * JSON, the {@code ref} and the {@code type}; {@link #decode} reads the fields of that type. Fields
 * the protocol does not know are ignored, so that a newer client can talk to this server.
 */
final class RequestDecoder {

    /** Requests are flat objects; a little nesting is allowed for fields this version ignores. */
    private static final int MAX_JSON_DEPTH = 8;

    private final ChatConfig config;
    private final JsonReader reader;

    RequestDecoder(ChatConfig config) {
        this.config = config;
        this.reader = JsonReader.withLimits(MAX_JSON_DEPTH, config.maxRequestBytes());
    }

    /** A request's JSON object, {@code ref} (or null) and type. */
    record Envelope(RequestType type, String ref, JsonObject body) {
    }

    /**
     * Reads the frame's JSON and its {@code ref} and {@code type}.
     *
     * @throws ChatError {@code too_long}, {@code bad_json}, {@code bad_request} or {@code unknown_type}
     */
    Envelope envelope(byte[] utf8) {
        if (utf8.length > config.maxRequestBytes()) {
            throw new ChatError(ErrorCode.TOO_LONG,
                    "request of " + utf8.length + " bytes is longer than the limit of " + config.maxRequestBytes());
        }
        JsonValue value;
        try {
            value = reader.parse(utf8);
        } catch (JsonException e) {
            throw new ChatError(ErrorCode.BAD_JSON, "not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject body)) {
            throw new ChatError(ErrorCode.BAD_JSON, "a request must be a JSON object");
        }
        String ref = ref(body);
        JsonValue type = body.get("type");
        if (type == null) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"type\" is missing", ref);
        }
        if (!(type instanceof JsonString(String name))) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"type\" must be a string", ref);
        }
        RequestType t = RequestType.of(name);
        if (t == null) {
            throw new ChatError(ErrorCode.UNKNOWN_TYPE, "unknown request type \"" + abbreviate(name) + "\"", ref);
        }
        return new Envelope(t, ref, body);
    }

    /** The ref of a frame, or null when it has none or is not a request at all; never throws. */
    String refOrNull(byte[] utf8) {
        try {
            return envelope(utf8).ref();
        } catch (ChatError e) {
            return e.ref();
        }
    }

    /**
     * Reads the fields of the envelope's type.
     *
     * @throws ChatError {@code bad_request}, {@code bad_name}, {@code bad_room} or {@code too_long}, carrying the ref
     */
    Request decode(Envelope e) {
        JsonObject body = e.body();
        String ref = e.ref();
        return switch (e.type()) {
            case LOGIN -> {
                String raw = body.get("name") == null || body.get("name") instanceof JsonValue.JsonNull ? null : string(body, "name", ref);
                String name = raw == null ? null : Names.validUserName(raw, config.maxNameChars());
                if (raw != null && name == null) {
                    throw new ChatError(ErrorCode.BAD_NAME, "a name must be 1 to " + config.maxNameChars()
                            + " characters: a letter, then letters, combining marks, digits, _ or -", ref);
                }
                yield new Request.Login(name, optionalString(body, "resume", MAX_TOKEN_CHARS, ref));
            }
            case JOIN -> new Request.Join(room(body, ref), since(body, ref), optionalString(body, "epoch", MAX_TOKEN_CHARS, ref));
            case LEAVE -> new Request.Leave(room(body, ref));
            case SAY -> new Request.Say(room(body, ref), text(body, ref), id(body, ref));
            case WHISPER -> new Request.Whisper(string(body, "to", ref), text(body, ref), id(body, ref));
            case WHO -> new Request.Who(room(body, ref));
            case ROOMS -> new Request.ListRooms(limit(body, ref), optionalString(body, "cursor", MAX_TOKEN_CHARS * 2, ref));
            case TYPING -> new Request.Typing(room(body, ref));
            case ONLINE -> new Request.Online(names(body, ref));
        };
    }

    /** Longest resume token, epoch or idempotency id a request may carry. */
    static final int MAX_TOKEN_CHARS = 64;
    /** Most names an {@code online} request may ask about. */
    static final int MAX_ONLINE_NAMES = 50;
    /** Most rooms a {@code rooms} page holds, and its default size. */
    static final int MAX_ROOMS_PAGE = 100;

    private static String optionalString(JsonObject body, String field, int maxChars, String ref) {
        JsonValue v = body.get(field);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return null;
        }
        if (!(v instanceof JsonString(String s))) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be a string", ref);
        }
        if (s.isEmpty() || s.length() > maxChars) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be 1 to " + maxChars + " characters", ref);
        }
        return s;
    }

    private static String id(JsonObject body, String ref) {
        return optionalString(body, "id", MAX_TOKEN_CHARS, ref);
    }

    private static int limit(JsonObject body, String ref) {
        JsonValue v = body.get("limit");
        if (v == null || v instanceof JsonValue.JsonNull) {
            return MAX_ROOMS_PAGE;
        }
        if (v instanceof JsonNumber n && n.asLong().isPresent() && n.asLong().getAsLong() >= 1
                && n.asLong().getAsLong() <= MAX_ROOMS_PAGE) {
            return (int) n.asLong().getAsLong();
        }
        throw new ChatError(ErrorCode.BAD_REQUEST, "field \"limit\" must be a whole number from 1 to " + MAX_ROOMS_PAGE, ref);
    }

    private static List<String> names(JsonObject body, String ref) {
        JsonValue v = body.get("names");
        if (v == null) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"names\" is missing", ref);
        }
        if (!(v instanceof JsonValue.JsonArray array) || array.elements().size() > MAX_ONLINE_NAMES) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"names\" must be an array of at most " + MAX_ONLINE_NAMES
                    + " strings", ref);
        }
        List<String> names = new ArrayList<>(array.elements().size());
        for (JsonValue e : array.elements()) {
            if (!(e instanceof JsonString(String s))) {
                throw new ChatError(ErrorCode.BAD_REQUEST, "field \"names\" must hold strings only", ref);
            }
            names.add(s);
        }
        return names;
    }

    private String ref(JsonObject body) {
        JsonValue ref = body.get("ref");
        if (ref == null) {
            return null;
        }
        if (!(ref instanceof JsonString(String s))) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"ref\" must be a string");
        }
        if (s.length() > config.maxRefChars()) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"ref\" is longer than " + config.maxRefChars() + " characters");
        }
        return s;
    }

    private static String string(JsonObject body, String field, String ref) {
        JsonValue v = body.get(field);
        if (v == null) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"" + field + "\" is missing", ref);
        }
        if (!(v instanceof JsonString(String s))) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be a string", ref);
        }
        return s;
    }

    private static String room(JsonObject body, String ref) {
        String room = string(body, "room", ref);
        if (!Names.isValidRoom(room)) {
            throw new ChatError(ErrorCode.BAD_ROOM, "a room name must be 1 to " + Names.MAX_ROOM_CHARS
                    + " characters of a-z, 0-9, _ and -", ref);
        }
        return room;
    }

    private String text(JsonObject body, String ref) {
        String text = string(body, "text", ref);
        if (text.isEmpty()) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "field \"text\" is empty", ref);
        }
        if (Names.codePointsUpTo(text, config.maxTextChars()) > config.maxTextChars()) {
            throw new ChatError(ErrorCode.TOO_LONG, "text is longer than " + config.maxTextChars() + " characters", ref);
        }
        return text;
    }

    private static OptionalLong since(JsonObject body, String ref) {
        JsonValue v = body.get("since");
        if (v == null || v instanceof JsonValue.JsonNull) {
            return OptionalLong.empty();
        }
        if (v instanceof JsonNumber n && n.asLong().isPresent() && n.asLong().getAsLong() >= 0) {
            return n.asLong();
        }
        throw new ChatError(ErrorCode.BAD_REQUEST, "field \"since\" must be a whole number, 0 or more", ref);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
