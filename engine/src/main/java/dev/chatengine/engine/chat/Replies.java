package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.RoomPage;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.engine.json.JsonWriter;

import java.util.List;

/**
 * Writes every message the server sends, as UTF-8 JSON. Stateless and thread-safe; each method
 * makes a fresh byte array, which the caller encodes once with the transport's encoder and then
 * sends to every recipient. Field order is fixed ({@code type} first, {@code ref} last) so that
 * the wire form is stable and easy to read in logs. PROTOCOL.md shows every one.
 *
 * <p>A {@code ref} (or {@code id}) argument may be null, which leaves the field out.
 */
final class Replies {

    /** Room for the envelope around a text: type, room, names, seq and ts take well under this. */
    private static final int ENVELOPE_BYTES = 160;

    private Replies() {
    }

    static byte[] welcome(String name, String resume, String ref) {
        JsonWriter w = new JsonWriter(96).beginObject().name("type").value("welcome").name("name").value(name);
        if (resume != null) {
            w.name("resume").value(resume);
        }
        return end(w, ref);
    }

    /**
     * @param history   the stored {@code message} objects, oldest first, spliced as they are
     * @param total     the number of members, of which {@code members} may list fewer
     * @param recovered null when the join had no {@code since}
     */
    static byte[] joined(String room, String epoch, List<String> members, int total, List<byte[]> history, Boolean recovered,
                         String ref) {
        int historyBytes = 0;
        for (byte[] m : history) {
            historyBytes += m.length + 1;
        }
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + historyBytes + members.size() * 16)
                .beginObject()
                .name("type").value("joined")
                .name("room").value(room)
                .name("epoch").value(epoch);
        names(w, "members", members);
        w.name("total").value(total);
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

    /** The {@code message} for {@code m}; {@code id} is the sender's idempotency id, on its own copy only. */
    static byte[] message(SequencedMessage m, String id, String ref) {
        ChatMessage c = m.message();
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + c.text().length() * 3)
                .beginObject()
                .name("type").value("message")
                .name("room").value(c.room())
                .name("from").value(c.from())
                .name("text").value(c.text())
                .name("seq").value(m.seq())
                .name("ts").value(c.ts());
        if (id != null) {
            w.name("id").value(id);
        }
        return end(w, ref);
    }

    static byte[] direct(Direct d, String id, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + d.text().length() * 3)
                .beginObject()
                .name("type").value("direct")
                .name("from").value(d.from())
                .name("to").value(d.to())
                .name("text").value(d.text())
                .name("ts").value(d.ts());
        if (id != null) {
            w.name("id").value(id);
        }
        return end(w, ref);
    }

    static byte[] members(String room, List<String> members, int total, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + members.size() * 16)
                .beginObject()
                .name("type").value("members")
                .name("room").value(room);
        names(w, "members", members);
        w.name("total").value(total);
        return end(w, ref);
    }

    static byte[] rooms(RoomPage page, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + page.rooms().size() * 40)
                .beginObject()
                .name("type").value("rooms")
                .name("rooms").beginArray();
        for (RoomPage.RoomInfo r : page.rooms()) {
            w.beginObject().name("name").value(r.name()).name("members").value(r.members()).endObject();
        }
        w.endArray();
        w.name("total").value(page.total());
        if (page.next() != null) {
            w.name("next").value(page.next());
        }
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

    static byte[] typing(String room, String name) {
        return new JsonWriter(ENVELOPE_BYTES)
                .beginObject()
                .name("type").value("typing")
                .name("room").value(room)
                .name("name").value(name)
                .endObject()
                .toByteArray();
    }

    /** @param event {@code created} or {@code gone} */
    static byte[] roomEvent(String room, String event) {
        return new JsonWriter(ENVELOPE_BYTES)
                .beginObject()
                .name("type").value("room")
                .name("room").value(room)
                .name("event").value(event)
                .endObject()
                .toByteArray();
    }

    static byte[] online(List<String> names, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + names.size() * 16).beginObject().name("type").value("online");
        names(w, "names", names);
        return end(w, ref);
    }

    static byte[] error(String code, String message, long retryAfterMs, String ref) {
        JsonWriter w = new JsonWriter(ENVELOPE_BYTES + message.length())
                .beginObject()
                .name("type").value("error")
                .name("code").value(code)
                .name("message").value(message);
        if (retryAfterMs >= 0) {
            w.name("retryAfterMs").value(retryAfterMs);
        }
        return end(w, ref);
    }

    static byte[] error(ErrorCode code, String message, String ref) {
        return error(code.wire(), message, -1, ref);
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
