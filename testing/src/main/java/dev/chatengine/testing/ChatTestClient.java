package dev.chatengine.testing;

import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonWriter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat protocol v1 client for tests, over a {@link WebSocketTestClient}: it sends requests and
 * takes the server's replies in order, each with a deadline, failing with an {@link AssertionError}
 * when the reply that must come does not.
 *
 * <pre>{@code
 * try (ChatTestClient alice = ChatTestClient.connect(uri);
 *      ChatTestClient bob = ChatTestClient.connect(uri)) {
 *     alice.login("alice");
 *     bob.login("bob");
 *     alice.next("presence");                         // bob joined the lobby
 *     alice.say("lobby", "hi");
 *     assertEquals("hi", bob.next("message").string("text"));
 * }
 * }</pre>
 *
 * Replies come back as {@link ChatTestClient.Reply}: the JSON text and its fields as plain Java
 * values. Thread-safe as far as its {@link WebSocketTestClient} is; normally one test thread uses it.
 */
public final class ChatTestClient implements AutoCloseable {

    private final WebSocketTestClient socket;
    private final List<Reply> roomEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int syncs;

    private ChatTestClient(WebSocketTestClient socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    /** Connects to a chat endpoint, for example {@code ws://127.0.0.1:8080/ws}. */
    public static ChatTestClient connect(URI uri) {
        return new ChatTestClient(WebSocketTestClient.connect(uri));
    }

    /** Speaks chat over a connection made with other options ({@link WebSocketTestClient#builder}). */
    public static ChatTestClient over(WebSocketTestClient socket) {
        return new ChatTestClient(socket);
    }

    /** The connection underneath, for raw sends and the close. */
    public WebSocketTestClient socket() {
        return socket;
    }

    /** Sends one request as written, for example {@code {"type":"join","room":"dev"}}. */
    public void send(String json) {
        socket.send(json);
    }

    /**
     * Sends a request of {@code type} with string {@code fields} given as name, value pairs, written
     * with proper JSON escaping: {@code request("say", "room", "lobby", "text", "hi")}.
     */
    public void request(String type, String... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in name, value pairs");
        }
        JsonWriter json = new JsonWriter().beginObject().name("type").value(type);
        for (int i = 0; i < fields.length; i += 2) {
            json.name(fields[i]).value(fields[i + 1]);
        }
        send(new String(json.endObject().toByteArray(), StandardCharsets.UTF_8));
    }

    /** Logs in as {@code name} and takes the {@code welcome} and the lobby's {@code joined}; returns the welcome. */
    public Reply login(String name) {
        request("login", "name", name);
        Reply welcome = next("welcome");
        next("joined");
        return welcome;
    }

    /** Joins {@code room} and returns its {@code joined} reply (members and history). */
    public Reply join(String room) {
        request("join", "room", room);
        return next("joined");
    }

    /** Says {@code text} in {@code room}; the server's {@code message} comes back to every member, this client too. */
    public void say(String room, String text) {
        request("say", "room", room, "text", text);
    }

    /**
     * The next reply exactly as on the wire. {@code room} events ({@code created}/{@code gone}), which reach
     * every logged-in client whatever it is doing, are set aside in {@link #roomEvents()}.
     */
    public String nextText() {
        while (true) {
            String text = socket.next();
            if (!text.startsWith("{\"type\":\"room\",")) {
                return text;
            }
            roomEvents.add(Reply.parse(text));
        }
    }

    /** The next reply, parsed (room events set aside, as for {@link #nextText()}). */
    public Reply next() {
        return Reply.parse(nextText());
    }

    /** The {@code room} events set aside so far, oldest first. */
    public List<Reply> roomEvents() {
        return List.copyOf(roomEvents);
    }

    /** The next reply, which must be of {@code type} (for example {@code message}); fails otherwise. */
    public Reply next(String type) {
        Reply reply = next();
        if (!type.equals(reply.type())) {
            throw new AssertionError("expected a '" + type + "' reply, got " + reply.json());
        }
        return reply;
    }

    /** The next reply, which must be an {@code error} with {@code code} (for example {@code name_taken}). */
    public Reply nextError(String code) {
        Reply error = next("error");
        if (!code.equals(error.string("code"))) {
            throw new AssertionError("expected error '" + code + "', got " + error.json());
        }
        return error;
    }

    /** Takes replies until one of {@code type} comes, and returns it; those before it are dropped. */
    public Reply skipTo(String type) {
        while (true) {
            Reply reply = next();
            if (type.equals(reply.type())) {
                return reply;
            }
        }
    }

    /**
     * Fails if the server sent anything through {@code room} that the test did not take: a repeated
     * join of a room the client is in is answered in the room's order, after everything the room
     * delivered before it, so its {@code joined} must be the next reply.
     */
    public void assertNothingMoreIn(String room) {
        String ref = "sync-" + (++syncs);
        request("join", "room", room, "ref", ref);
        Reply joined = next("joined");
        if (!ref.equals(joined.string("ref"))) {
            throw new AssertionError("nothing expected before the sync, got " + joined.json());
        }
        socket.assertNoMoreMessages();
    }

    /** An orderly close; returns once the server has answered it. */
    public WebSocketTestClient.Closed closeAndAwait() {
        return socket.closeAndAwait();
    }

    /** Closes the connection without waiting. */
    @Override
    public void close() {
        socket.close();
    }

    /**
     * One reply of the server: its JSON text and its fields as plain Java values: objects as
     * {@code Map<String, Object>}, arrays as {@code List<Object>}, strings, {@code Long} for integers
     * ({@code java.math.BigDecimal} for other numbers), {@code Boolean}, and {@code null}.
     *
     * @param json   the reply as sent
     * @param fields its top-level fields, in order
     */
    public record Reply(String json, Map<String, Object> fields) {

        /** Parses a reply; fails if it is not a JSON object. */
        public static Reply parse(String json) {
            if (!(JsonReader.defaults().parse(json) instanceof JsonValue.JsonObject object)) {
                throw new AssertionError("a reply must be a JSON object: " + json);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) toJava(object);
            return new Reply(json, fields);
        }

        /** The reply's {@code type}. */
        public String type() {
            return string("type");
        }

        /** The string field {@code name}, or null when absent. */
        public String string(String name) {
            Object value = fields.get(name);
            if (value != null && !(value instanceof String)) {
                throw new AssertionError("'" + name + "' is not a string in " + json);
            }
            return (String) value;
        }

        /** The integer field {@code name}; fails when absent or not an integer. */
        public long number(String name) {
            if (!(fields.get(name) instanceof Long value)) {
                throw new AssertionError("'" + name + "' is not an integer in " + json);
            }
            return value;
        }

        /** The array field {@code name} (for example {@code members} or {@code history}); empty when absent. */
        @SuppressWarnings("unchecked")
        public List<Object> list(String name) {
            Object value = fields.getOrDefault(name, List.of());
            if (!(value instanceof List<?>)) {
                throw new AssertionError("'" + name + "' is not an array in " + json);
            }
            return (List<Object>) value;
        }

        /** True when the field {@code name} is present. */
        public boolean has(String name) {
            return fields.containsKey(name);
        }

        private static Object toJava(JsonValue value) {
            return switch (value) {
                case JsonValue.JsonObject object -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    object.members().forEach((name, member) -> map.put(name, toJava(member)));
                    yield java.util.Collections.unmodifiableMap(map);
                }
                case JsonValue.JsonArray array -> {
                    List<Object> list = new ArrayList<>();
                    array.elements().forEach(element -> list.add(toJava(element)));
                    yield java.util.Collections.unmodifiableList(list);
                }
                case JsonValue.JsonString(String s) -> s;
                case JsonValue.JsonNumber number -> number.asLong().isPresent()
                        ? (Object) number.asLong().getAsLong() : number.toBigDecimal();
                case JsonValue.JsonBool(boolean b) -> b;
                case JsonValue.JsonNull ignored -> null;
            };
        }
    }
}
