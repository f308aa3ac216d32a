package dev.chatengine.engine.chat;

import dev.chatengine.engine.json.JsonWriter;

import java.util.List;

/**
 * Writes every message the server sends, as UTF-8 JSON. Stateless and thread-safe; each method
 * makes a fresh byte array, which the caller encodes once with the transport's encoder and then
 * sends to every recipient. Field order is fixed ({@code type} first, {@code ref} last) so that
 * the wire form is stable and easy to read in logs.
 *
 * <p>A {@code ref} argument may be null, which leaves the field out.
 */
final class Replies {

    /** Room for the envelope around a text: type, room, names, seq and ts take well under this. */
    private static final int ENVELOPE_BYTES = 160;

    private Replies() {
    }

    /** A room summary for {@link #rooms}. */
    record RoomSummary(String name, int members) {
    }

    static byte[] welcome(String name, String ref) {
        JsonWriter w = new JsonWriter(64).beginObject().name("type").value("welcome").name("name").value(name);
        return end(w, ref);
    }

    /**
     * @param history   the stored {@code message} objects, oldest first, spliced as they are
     * @param recovered null when the join had no {@code since}
     */
    static byte[] joined(String room, List<String> members, List<byte[]> history, Boolean recovered, String ref) {
        int historyBytes = 0;
        for (byte[] m : history) {
            historyBytes += m.length + 1;
        }
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + historyBytes + members.size() * 16)
                .beginObject()
                .name("type").value("joined")
                .name("room").value(room);
        names(w, "members", members);
        w.name("history").beginArray();
        for (byte[] m : history) {
            w.rawValue(m);
        }
        w.endArray();
        if (recovered != null) {
            w.name("recovered").value(recovered.booleanValue());
        }
        return end(w, ref);
    }

    static byte[] left(String room, String ref) {
        return end(new JsonWriter(64).beginObject().name("type").value("left").name("room").value(room), ref);
    }

    static byte[] message(String room, String from, String text, long seq, long ts, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + text.length() * 3)
                .beginObject()
                .name("type").value("message")
                .name("room").value(room)
                .name("from").value(from)
                .name("text").value(text)
                .name("seq").value(seq)
                .name("ts").value(ts);
        return end(w, ref);
    }

    static byte[] direct(String from, String to, String text, long ts, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + text.length() * 3)
                .beginObject()
                .name("type").value("direct")
                .name("from").value(from)
                .name("to").value(to)
                .name("text").value(text)
                .name("ts").value(ts);
        return end(w, ref);
    }

    static byte[] members(String room, List<String> members, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + members.size() * 16)
                .beginObject()
                .name("type").value("members")
                .name("room").value(room);
        names(w, "members", members);
        return end(w, ref);
    }

    static byte[] rooms(List<RoomSummary> rooms, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + rooms.size() * 40)
                .beginObject()
                .name("type").value("rooms")
                .name("rooms").beginArray();
        for (RoomSummary r : rooms) {
            w.beginObject().name("name").value(r.name()).name("members").value(r.members()).endObject();
        }
        w.endArray();
        return end(w, ref);
    }

    /** @param event {@code join} or {@code leave} */
    static byte[] presence(String room, String name, String event) {
        return new JsonWriter(ENVELOPE_BYTES)
                .beginObject()
                .name("type").value("presence")
                .name("room").value(room)
                .name("name").value(name)
                .name("event").value(event)
                .endObject()
                .toByteArray();
    }

    static byte[] error(ErrorCode code, String message, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + message.length())
                .beginObject()
                .name("type").value("error")
                .name("code").value(code.wire())
                .name("message").value(message);
        return end(w, ref);
    }

    private static void names(JsonWriter w, String field, List<String> names) {
        w.name(field).beginArray();
        for (String n : names) {
            w.value(n);
        }
        w.endArray();
    }

    private static byte[] end(JsonWriter w, String ref) {
        if (ref != null) {
            w.name("ref").value(ref);
        }
        return w.endObject().toByteArray();
    }
}
