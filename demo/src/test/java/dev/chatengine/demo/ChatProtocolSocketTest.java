package dev.chatengine.demo;

import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat protocol v1 over real sockets: the demo server on 127.0.0.1 and the JDK's own WebSocket
 * client, so every request and reply crosses the transport's framing, masking and UTF-8 checks.
 * The in-memory tests in the engine cover the protocol's corners; these prove it works on the wire:
 * every message type, every error code, two clients chatting, presence, history and recovery,
 * whisper and rate limiting. The server's clock is fixed, so replies are compared byte for byte.
 */
class ChatProtocolSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long T0 = 1_764_121_400_123L;

    private final AtomicLong nowMillis = new AtomicLong(T0);
    private final InstantSource clock = new InstantSource() {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMillis.get());
        }

        @Override
        public long millis() {
            return nowMillis.get();
        }
    };
    private final List<ChatClient> clients = new ArrayList<>();
    private DemoServer server;

    private void start(ChatConfig chat) throws IOException {
        DemoConfig config = DemoConfig.builder().chat(chat).clock(clock).shutdownGrace(Duration.ofSeconds(2)).build();
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0), config);
    }

    private void start() throws IOException {
        start(ChatConfig.builder().burst(1_000).build());
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::abort);
        if (server != null) {
            server.stop();
        }
    }

    private ChatClient connect() {
        ChatClient c = new ChatClient(server);
        clients.add(c);
        return c;
    }

    private ChatClient login(String name) {
        ChatClient c = connect();
        c.send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        c.expect("{\"type\":\"welcome\",\"name\":\"" + name + "\",\"resume\":\"R\"}");
        c.next("joined");
        return c;
    }

    @Test
    void twoClientsLogInSeeEachOtherAndChat() throws IOException {
        start();
        ChatClient alice = connect();
        alice.send("{\"type\":\"login\",\"name\":\"alice\",\"ref\":\"1\"}");
        alice.expect("{\"type\":\"welcome\",\"name\":\"alice\",\"resume\":\"R\",\"ref\":\"1\"}");
        alice.expect("{\"type\":\"joined\",\"room\":\"lobby\",\"epoch\":\"E\",\"members\":[\"alice\"],\"total\":1,\"history\":[],\"ref\":\"1\"}");

        ChatClient bob = connect();
        bob.send("{\"type\":\"login\",\"name\":\"bob\"}");
        bob.expect("{\"type\":\"welcome\",\"name\":\"bob\",\"resume\":\"R\"}");
        bob.expect("{\"type\":\"joined\",\"room\":\"lobby\",\"epoch\":\"E\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":[]}");
        alice.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"bob\",\"event\":\"join\"}");

        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi bob ☕ 😀 <b>\",\"ref\":\"s1\"}");
        String message = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\",\"text\":\"hi bob ☕ 😀 <b>\",\"seq\":1,\"ts\":" + T0;
        alice.expect(message + ",\"ref\":\"s1\"}");
        bob.expect(message + "}");

        nowMillis.addAndGet(1_000);
        bob.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hello\\nalice\"}");
        message = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"bob\",\"text\":\"hello\\nalice\",\"seq\":2,\"ts\":" + (T0 + 1_000) + "}";
        bob.expect(message);
        alice.expect(message);
        alice.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("lobby");
    }

    @Test
    void aLongTextOfManyBytesCrossesTheWireIntact() throws IOException {
        start();
        ChatClient alice = login("alice");
        ChatClient bob = login("bob");
        alice.next("presence");
        String text = "é😀".repeat(2_048); // 4,096 code points, 12 KiB of UTF-8
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + text + "\"}");
        assertThat(bob.next("message").get("text")).isEqualTo(new JsonValue.JsonString(text));
        alice.next("message");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + text + "x\"}");
        alice.nextError("too_long");
    }

    @Test
    void joinGetsHistoryAndSinceRecovers() throws IOException {
        start(ChatConfig.builder().burst(1_000).historySize(3).build());
        ChatClient alice = login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\",\"ref\":\"j\"}");
        alice.expect("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"E\",\"members\":[\"alice\"],\"total\":1,\"history\":[],\"ref\":\"j\"}");
        List<String> said = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"t" + i + "\"}");
            said.add(alice.next());
        }
        ChatClient bob = login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.expect("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"E\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":["
                + String.join(",", said.subList(2, 5)) + "]}");
        alice.expect("{\"type\":\"presence\",\"room\":\"java\",\"name\":\"bob\",\"event\":\"join\"}");

        // Bob's page reconnects: it saw up to seq 3, and 4 and 5 are still kept.
        bob.close();
        alice.next("presence");
        alice.next("presence");
        ChatClient bobAgain = login("bob");
        alice.next("presence");
        bobAgain.send("{\"type\":\"join\",\"room\":\"java\",\"since\":3}");
        bobAgain.expect("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"E\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":["
                + String.join(",", said.subList(3, 5)) + "],\"recovered\":true}");
        // A page that saw only seq 1 cannot get seq 2 any more: it gets what is kept, and is told.
        bobAgain.send("{\"type\":\"join\",\"room\":\"java\",\"since\":1}");
        bobAgain.expect("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"E\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":["
                + String.join(",", said.subList(2, 5)) + "],\"recovered\":false}");
    }

    @Test
    void leaveAndDisconnectTellTheOthers() throws IOException {
        start();
        ChatClient alice = login("alice");
        ChatClient bob = login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        alice.next("joined");
        bob.next("presence");

        alice.send("{\"type\":\"leave\",\"room\":\"java\",\"ref\":\"bye\"}");
        alice.expect("{\"type\":\"left\",\"room\":\"java\",\"ref\":\"bye\"}");
        bob.expect("{\"type\":\"presence\",\"room\":\"java\",\"name\":\"alice\",\"event\":\"leave\"}");

        bob.close(); // an orderly close: alice hears bob leave the lobby
        alice.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"bob\",\"event\":\"leave\"}");

        ChatClient carol = login("carol");
        alice.next("presence");
        carol.abort(); // the socket just goes away
        alice.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"carol\",\"event\":\"leave\"}");
        alice.assertNothingMoreIn("lobby");
    }

    @Test
    void whisperReachesOnlyTheRecipientAndTheSender() throws IOException {
        start();
        ChatClient alice = login("alice");
        ChatClient bob = login("bob");
        ChatClient carol = login("carol");
        alice.next("presence");
        alice.next("presence");
        bob.next("presence");
        alice.send("{\"type\":\"whisper\",\"to\":\"Bob\",\"text\":\"psst\",\"ref\":\"w\"}");
        String direct = "{\"type\":\"direct\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"psst\",\"ts\":" + T0;
        bob.expect(direct + "}");
        alice.expect(direct + ",\"ref\":\"w\"}");
        alice.send("{\"type\":\"whisper\",\"to\":\"dave\",\"text\":\"psst\",\"ref\":\"w2\"}");
        assertThat(alice.nextError("no_such_user").get("ref")).isEqualTo(new JsonValue.JsonString("w2"));
        carol.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("lobby");
    }

    @Test
    void whoAndRooms() throws IOException {
        start();
        ChatClient alice = login("alice");
        ChatClient bob = login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        alice.send("{\"type\":\"who\",\"room\":\"lobby\",\"ref\":\"w\"}");
        alice.expect("{\"type\":\"members\",\"room\":\"lobby\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"ref\":\"w\"}");
        alice.send("{\"type\":\"who\",\"room\":\"java\"}");
        alice.expect("{\"type\":\"members\",\"room\":\"java\",\"members\":[\"bob\"],\"total\":1}");
        alice.send("{\"type\":\"rooms\",\"ref\":\"r\"}");
        alice.expect("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":2},{\"name\":\"java\",\"members\":1}],\"total\":2,\"ref\":\"r\"}");
    }

    @Test
    void everyErrorCodeAndTheConnectionStaysOpen() throws IOException {
        start(ChatConfig.builder().burst(1_000).maxRooms(2).build());
        ChatClient alice = connect();
        alice.send("hello?");
        alice.nextError("bad_json");
        alice.sendBinary(new byte[] {1, 2, 3});
        alice.nextError("bad_json");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi\",\"ref\":\"e1\"}");
        assertThat(alice.nextError("not_logged_in").get("ref")).isEqualTo(new JsonValue.JsonString("e1"));
        alice.send("{\"type\":\"shout\",\"ref\":\"e2\"}");
        assertThat(alice.nextError("unknown_type").get("ref")).isEqualTo(new JsonValue.JsonString("e2"));
        alice.send("{\"type\":\"login\"}");
        alice.nextError("bad_request");
        alice.send("{\"type\":\"login\",\"name\":\"a lice\"}");
        alice.nextError("bad_name");
        alice.send("{\"type\":\"login\",\"name\":\"alice\"}");
        alice.next("welcome");
        alice.next("joined");

        ChatClient other = connect();
        other.send("{\"type\":\"login\",\"name\":\"ALICE\"}");
        other.nextError("name_taken");

        alice.send("{\"type\":\"join\",\"room\":\"Java!\"}");
        alice.nextError("bad_room");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        alice.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"python\"}");
        alice.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"scala\"}"); // a third room with maxRooms 2 (the lobby counts for nobody)
        alice.nextError("bad_room");
        alice.send("{\"type\":\"say\",\"room\":\"rust\",\"text\":\"hi\"}");
        alice.nextError("not_in_room");
        alice.send("{\"type\":\"leave\",\"room\":\"rust\"}");
        alice.nextError("not_in_room");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + "x".repeat(4_097) + "\"}");
        alice.nextError("too_long");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"\"}");
        alice.nextError("bad_request");
        alice.send("{\"type\":\"whisper\",\"to\":\"nobody\",\"text\":\"hi\"}");
        alice.nextError("no_such_user");
        alice.send("{\"type\":\"login\",\"name\":\"alice2\"}");
        alice.nextError("bad_request");

        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"still here\"}");
        assertThat(alice.next("message").get("text")).isEqualTo(new JsonValue.JsonString("still here"));
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void aClientOverItsRateIsRefusedUntilItsBucketRefills() throws IOException {
        start(ChatConfig.builder().messagesPerSecond(1).burst(3).build());
        ChatClient alice = login("alice"); // takes 1 of the 3
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"1\"}");
        alice.next("message");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"2\"}");
        alice.next("message");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"3\",\"ref\":\"x\"}");
        assertThat(alice.nextError("rate_limited").get("ref")).isEqualTo(new JsonValue.JsonString("x"));
        ChatClient bob = login("bob"); // a bucket of his own
        alice.next("presence");
        alice.send("{\"type\":\"rooms\"}");
        alice.nextError("rate_limited");
        nowMillis.addAndGet(1_000);
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"4\"}");
        assertThat(alice.next("message").get("seq")).isEqualTo(new JsonValue.JsonNumber("3"));
        bob.next("message");
    }

    @Test
    void aResumeTokenTakesTheNameOverWith4000AndAKickClosesWith4001() throws IOException {
        start();
        ChatClient bob = login("bob");
        ChatClient alice = connect();
        alice.send("{\"type\":\"login\",\"name\":\"alice\"}");
        String token = ((JsonValue.JsonString) alice.next("welcome").get("resume")).value();
        alice.next("joined");
        bob.next("presence");

        ChatClient again = connect();
        again.send("{\"type\":\"login\",\"name\":\"alice\",\"resume\":\"" + token + "\"}");
        again.next("welcome");
        again.expect("{\"type\":\"joined\",\"room\":\"lobby\",\"epoch\":\"E\",\"members\":[\"bob\",\"alice\"],\"total\":2,\"history\":[]}");
        assertThat(alice.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(4000, "replaced"));
        bob.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"leave\"}");
        bob.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"join\"}");

        assertThat(server.chat().kick("alice", "enough")).isTrue();
        assertThat(again.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(4001, "enough"));
        bob.expect("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"leave\"}");
        assertThat(server.chat().online()).containsExactly("bob");
        login("alice"); // free at once, and no ban
    }

    @Test
    void anAnnouncementIsAMessageWithSeqThatRecoveryBringsBack() throws IOException {
        start();
        ChatClient alice = login("alice");
        long seq = server.chat().announce("lobby", "system", "maintenance at 22:00").seq();
        alice.expect("{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"system\",\"text\":\"maintenance at 22:00\","
                + "\"seq\":" + seq + ",\"ts\":" + T0 + "}");
        alice.send("{\"type\":\"join\",\"room\":\"lobby\",\"since\":0}");
        JsonObject joined = alice.next("joined");
        assertThat(joined.get("recovered")).isEqualTo(JsonValue.JsonBool.TRUE);
        assertThat(((JsonArray) joined.get("history")).size()).isEqualTo(1);
        assertThat(server.chat().members("lobby")).containsExactly("alice");
    }

    @Test
    void aServerRestartedOnTheSamePortIsANewEpochAndRecoveryDoesNotLie() throws IOException {
        start();
        ChatClient alice = login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        String epoch = ((JsonValue.JsonString) alice.next("joined").get("epoch")).value();
        for (int i = 1; i <= 3; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"before " + i + "\"}");
            alice.next("message");
        }
        int port = server.port();
        alice.abort();
        server.stop();
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", port),
                DemoConfig.builder().chat(ChatConfig.builder().burst(1_000).build()).clock(clock)
                        .shutdownGrace(Duration.ofSeconds(2)).build());
        ChatClient back = login("alice");
        back.send("{\"type\":\"join\",\"room\":\"java\",\"since\":3,\"epoch\":\"" + epoch + "\"}");
        JsonObject joined = back.next("joined");
        assertThat(((JsonValue.JsonString) joined.get("epoch")).value()).isNotEqualTo(epoch);
        assertThat(joined.get("recovered")).isEqualTo(JsonValue.JsonBool.FALSE);
        back.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"after 1\"}");
        assertThat(back.next("message").get("seq")).isEqualTo(new JsonValue.JsonNumber("1")); // the page resets its seq
    }

    @Test
    void typingOnlineRoomEventsAndPagedRooms() throws IOException {
        start();
        ChatClient alice = login("alice");
        ChatClient bob = login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"typing\",\"room\":\"lobby\"}");
        alice.expect("{\"type\":\"typing\",\"room\":\"lobby\",\"name\":\"bob\"}");
        alice.send("{\"type\":\"online\",\"names\":[\"BOB\",\"carol\"],\"ref\":\"o\"}");
        alice.expect("{\"type\":\"online\",\"names\":[\"bob\"],\"ref\":\"o\"}");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        alice.send("{\"type\":\"rooms\",\"limit\":1}");
        alice.expect("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":2}],\"total\":2,\"next\":\"2:lobby\"}");
        alice.send("{\"type\":\"rooms\",\"limit\":1,\"cursor\":\"2:lobby\"}");
        alice.expect("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"java\",\"members\":1}],\"total\":2}");
        assertThat(alice.roomEvents()).contains("{\"type\":\"room\",\"room\":\"java\",\"event\":\"created\"}");
    }

    /** The test kit's {@link ChatTestClient}, with replies as the engine's JSON values for these assertions. */
    private static final class ChatClient {
        private final ChatTestClient chat;

        ChatClient(DemoServer server) {
            chat = ChatTestClient.connect(server.webSocketUri("/ws"));
        }

        void send(String json) {
            chat.send(json);
        }

        void sendBinary(byte[] data) {
            chat.socket().sendBinary(data);
        }

        /** The next message except room events, which the test kit sets aside (they reach every logged-in client). */
        String next() {
            return chat.nextText();
        }

        /**
         * Takes the next message and checks it is exactly {@code json}, where {@code "epoch":"E"} and
         * {@code "resume":"R"} stand for whatever epoch and resume token the server chose (random per run).
         */
        void expect(String json) {
            String text = next();
            assertThat(text).as("an epoch of the form the server makes").doesNotContain("\"epoch\":\"\"");
            assertThat(text.replaceAll("\"epoch\":\"[^\"]+\"", "\"epoch\":\"E\"")
                    .replaceAll("\"resume\":\"[A-Za-z0-9_-]{22}\"", "\"resume\":\"R\"")).isEqualTo(json);
        }

        WebSocketTestClient.Closed awaitClose() {
            return chat.socket().awaitClose();
        }

        List<String> roomEvents() {
            return chat.roomEvents().stream().map(ChatTestClient.Reply::json).toList();
        }

        boolean isClosed() {
            return chat.socket().isClosed();
        }

        JsonObject next(String type) {
            return (JsonObject) JsonReader.defaults().parse(chat.next(type).json());
        }

        JsonObject nextError(String code) {
            return (JsonObject) JsonReader.defaults().parse(chat.nextError(code).json());
        }

        /** Nothing else came through {@code room}: a repeated join replies after all the room sent before. */
        void assertNothingMoreIn(String room) {
            chat.assertNothingMoreIn(room);
        }

        /** An orderly close; returns once the server has answered it. */
        void close() {
            chat.closeAndAwait();
        }

        void abort() {
            chat.socket().abort();
        }
    }
}
