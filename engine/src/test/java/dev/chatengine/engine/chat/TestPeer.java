package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.testing.InMemoryConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** One chat client over an {@link InMemoryConnection}, served by a hub on its own virtual thread. */
final class TestPeer {

    private static final Duration WAIT = Duration.ofSeconds(20);

    final InMemoryConnection connection;
    private final Thread serving;
    private int syncs;
    /**
     * The {@code room} events ({@code created}/{@code gone}) this peer received, in order: {@link #next()} sets
     * them aside, since they reach every logged-in client whatever it is doing; tests about them read them here.
     */
    final List<String> roomEvents = new CopyOnWriteArrayList<>();
    /** The resume token of this peer's last welcome taken by {@link #login}. */
    String resume;

    TestPeer(Hub hub, ChatService chat) {
        this(hub, chat, new InMemoryConnection());
    }

    /** A peer over {@code connection} (for example one {@link InMemoryConnection#withPrincipal with a principal}). */
    TestPeer(Hub hub, ChatService chat, InMemoryConnection connection) {
        this.connection = connection;
        serving = Thread.ofVirtual().name("test-peer").start(() -> hub.serve(connection, chat));
    }

    /** Sends one text frame. */
    TestPeer send(String json) {
        connection.feed(json);
        return this;
    }

    void sendBinary(byte[] data) {
        connection.feedBinary(data);
    }

    /** The next message written to this peer, exactly as on the wire, except room events; fails after a generous wait. */
    String next() {
        while (true) {
            String s = connection.nextWritten(WAIT);
            if (!isRoomEvent(s)) {
                return s;
            }
            roomEvents.add(s);
        }
    }

    static boolean isRoomEvent(String json) {
        return json.startsWith("{\"type\":\"room\",");
    }

    /** The next message, parsed; its type must be {@code type}. */
    JsonObject next(String type) {
        JsonObject o = (JsonObject) JsonReader.defaults().parse(next());
        assertThat(str(o, "type")).as("type of %s", o).isEqualTo(type);
        return o;
    }

    /** The next message, which must be an error with {@code code}; returns it. */
    JsonObject nextError(ErrorCode code) {
        JsonObject o = next("error");
        assertThat(str(o, "code")).as("%s", o).isEqualTo(code.wire());
        assertThat(str(o, "message")).isNotBlank();
        return o;
    }

    /** Logs in as {@code name} and takes the welcome and the lobby's joined. */
    TestPeer login(String name) {
        send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        resume = str(next("welcome"), "resume");
        next("joined");
        return this;
    }

    /**
     * Proves nothing else was sent to this peer through {@code room} before now: a repeated join of a
     * room it is in replies in the room's order, after everything the room delivered before.
     */
    void assertNothingMoreIn(String room) {
        String ref = "sync-" + (++syncs);
        send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "\"}");
        JsonObject o = next("joined");
        assertThat(str(o, "ref")).as("expected nothing before the sync, got %s", o).isEqualTo(ref);
        assertThat(connection.untakenWritten()).filteredOn(s -> !isRoomEvent(s)).isEmpty();
    }

    /** The peer goes away without a close (the socket drops); waits until the hub has finished with it. */
    void drop() {
        connection.abort();
        awaitGone();
    }

    /** The peer closes in an orderly way; waits until the hub has finished with it. */
    void close() {
        connection.peerClose();
        awaitGone();
    }

    void awaitGone() {
        try {
            assertThat(serving.join(WAIT)).as("serve() returned").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String str(JsonObject o, String field) {
        JsonValue v = o.get(field);
        return v instanceof JsonValue.JsonString(String s) ? s : v == null ? null : v.toString();
    }
}
