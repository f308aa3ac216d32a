package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import dev.chatengine.engine.chat.spi.LocalBroker;
import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.chatengine.engine.chat.TestPeer.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Protocol v1 end to end over in-memory connections: every message type and every error code. */
class ChatServiceTest {

    private static final long T0 = 1_764_121_400_123L;

    private final MutableClock clock = new MutableClock(T0);
    private final List<Hub> hubs = new ArrayList<>();
    private Hub hub;
    private ChatService chat;

    @AfterEach
    void shutdown() {
        hubs.forEach(h -> h.shutdown(Duration.ofSeconds(5)));
    }

    /** A hub and service with {@code config}; a generous burst unless the test is about rate limiting. */
    private void start(ChatConfig.Builder config) {
        hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
        hubs.add(hub);
        // Epochs e1, e2, ... in the order rooms come to life, so that replies compare byte for byte.
        chat = ChatService.builder(hub).config(config.build()).clock(clock).broker(new LocalBroker("e")).build();
    }

    private void start() {
        start(ChatConfig.builder().burst(1_000));
    }

    private TestPeer peer() {
        return new TestPeer(hub, chat);
    }

    @Test
    void loginWelcomesThenJoinsTheLobbyWithTheRefOnBoth() {
        start();
        TestPeer alice = peer().send("{\"type\":\"login\",\"name\":\"alice\",\"ref\":\"r1\"}");
        assertThat(alice.next()).matches("\\{\"type\":\"welcome\",\"name\":\"alice\",\"resume\":\"[A-Za-z0-9_-]{22}\",\"ref\":\"r1\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"joined\",\"room\":\"lobby\",\"epoch\":\"e1\",\"members\":[\"alice\"],\"total\":1,"
                + "\"history\":[],\"ref\":\"r1\"}");
        assertThat(chat.metrics().usersOnline()).isEqualTo(1);
    }

    @Test
    void presenceGoesToTheOthersAndNeverBackToOneself() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().send("{\"type\":\"login\",\"name\":\"bob\"}");
        assertThat(bob.next()).startsWith("{\"type\":\"welcome\",\"name\":\"bob\",\"resume\":\"");
        assertThat(bob.next()).isEqualTo("{\"type\":\"joined\",\"room\":\"lobby\",\"epoch\":\"e1\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":[]}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"bob\",\"event\":\"join\"}");
        alice.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("lobby");
    }

    @Test
    void twoClientsChatWithSeqFromOneAndServerTime() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        alice.next("presence");

        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi bob\"}");
        String first = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\",\"text\":\"hi bob\",\"seq\":1,\"ts\":" + T0 + "}";
        assertThat(alice.next()).isEqualTo(first);
        assertThat(bob.next()).isEqualTo(first);

        clock.advanceMillis(5);
        bob.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi \\\"alice\\\" \uD83D\uDE00\",\"ref\":\"b1\"}");
        String second = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"bob\",\"text\":\"hi \\\"alice\\\" \uD83D\uDE00\",\"seq\":2,\"ts\":" + (T0 + 5);
        assertThat(alice.next()).isEqualTo(second + "}");
        assertThat(bob.next()).isEqualTo(second + ",\"ref\":\"b1\"}"); // only the sender's copy carries the ref
        alice.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("lobby");
        assertThat(chat.metrics().messages()).isEqualTo(2);
    }

    @Test
    void manySendersGetGaplessSeqsInTheSameOrderEverywhere() {
        start();
        List<TestPeer> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(peer().login("p" + i));
        }
        // Drain the presence each saw of those after it.
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                peers.get(i).next("presence");
            }
        }
        int each = 25;
        for (int k = 0; k < each; k++) {
            for (TestPeer p : peers) {
                p.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"m" + k + "\"}");
            }
        }
        List<String> reference = null;
        for (TestPeer p : peers) {
            List<String> seen = new ArrayList<>();
            for (int n = 1; n <= 4 * each; n++) {
                JsonObject m = p.next("message");
                assertThat(m.get("seq")).hasToString("JsonNumber[text=" + n + "]");
                seen.add(str(m, "from") + ":" + str(m, "text"));
            }
            if (reference == null) {
                reference = seen;
            } else {
                assertThat(seen).isEqualTo(reference);
            }
        }
    }

    @Test
    void joinGivesMembersAndHistoryOldestFirstAndTellsTheRoom() {
        start();
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\",\"ref\":\"j\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"e2\",\"members\":[\"alice\"],\"total\":1,\"history\":[],\"ref\":\"j\"}");
        List<String> said = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"t" + i + "\"}");
            said.add(alice.next());
        }
        TestPeer bob = peer().login("bob");
        alice.next("presence"); // bob in the lobby
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        assertThat(bob.next()).isEqualTo("{\"type\":\"joined\",\"room\":\"java\",\"epoch\":\"e2\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"history\":["
                + String.join(",", said) + "]}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"presence\",\"room\":\"java\",\"name\":\"bob\",\"event\":\"join\"}");
        alice.assertNothingMoreIn("java");
    }

    @Test
    void historyKeepsTheLastFiftyByDefault() {
        start();
        TestPeer alice = peer().login("alice");
        for (int i = 1; i <= 60; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"t" + i + "\"}");
            alice.next("message");
        }
        TestPeer bob = peer().send("{\"type\":\"login\",\"name\":\"bob\"}");
        bob.next("welcome");
        JsonArray history = (JsonArray) bob.next("joined").get("history");
        assertThat(history.size()).isEqualTo(50);
        assertThat(str((JsonObject) history.get(0), "text")).isEqualTo("t11");
        assertThat(str((JsonObject) history.get(49), "text")).isEqualTo("t60");
    }

    @Test
    void joinWithSinceRecoversExactlyWhatWasMissedOrSaysItCannot() {
        start(ChatConfig.builder().burst(1_000).historySize(3));
        TestPeer alice = peer().login("alice");
        for (int i = 1; i <= 5; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"t" + i + "\"}");
            alice.next("message");
        }
        // The room keeps seqs 3, 4, 5.
        TestPeer bob = peer().login("bob");
        assertRecovery(bob, 4, true, "t5");
        assertRecovery(bob, 2, true, "t3", "t4", "t5");
        assertRecovery(bob, 5, true);
        assertRecovery(bob, 1, false, "t3", "t4", "t5"); // seq 2 has left the history
        assertRecovery(bob, 0, false, "t3", "t4", "t5");
        assertRecovery(bob, 99, false, "t3", "t4", "t5"); // a seq from another life of the room
    }

    @Test
    void sinceOnAnEmptyRoomIsRecovered() {
        start();
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"fresh\",\"since\":0}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"joined\",\"room\":\"fresh\",\"epoch\":\"e2\",\"members\":[\"alice\"],\"total\":1,\"history\":[],\"recovered\":true}");
    }

    private static void assertRecovery(TestPeer peer, long since, boolean recovered, String... texts) {
        peer.send("{\"type\":\"join\",\"room\":\"lobby\",\"since\":" + since + "}");
        JsonObject joined = peer.next("joined");
        assertThat(joined.get("recovered")).as("since %d", since).hasToString("JsonBool[value=" + recovered + "]");
        List<String> got = new ArrayList<>();
        for (var m : ((JsonArray) joined.get("history")).elements()) {
            got.add(str((JsonObject) m, "text"));
        }
        assertThat(got).as("since %d", since).containsExactly(texts);
    }

    @Test
    void leaveRepliesAndTellsTheOthers() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"leave\",\"room\":\"lobby\",\"ref\":\"l\"}");
        assertThat(bob.next()).isEqualTo("{\"type\":\"left\",\"room\":\"lobby\",\"ref\":\"l\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"bob\",\"event\":\"leave\"}");
        bob.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"x\",\"ref\":\"s\"}");
        assertThat(str(bob.nextError(ErrorCode.NOT_IN_ROOM), "ref")).isEqualTo("s");
        bob.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        bob.nextError(ErrorCode.NOT_IN_ROOM);
        bob.send("{\"type\":\"leave\",\"room\":\"nowhere\"}");
        bob.nextError(ErrorCode.NOT_IN_ROOM);
        alice.assertNothingMoreIn("lobby");
    }

    @Test
    void aDisconnectTellsEveryRoomAndFreesTheName() {
        start();
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        alice.next("joined");
        TestPeer bob = peer().login("bob");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        alice.next("presence");
        alice.next("presence");

        alice.drop();
        List<String> presences = List.of(bob.next(), bob.next());
        assertThat(presences).containsExactlyInAnyOrder(
                "{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"leave\"}",
                "{\"type\":\"presence\",\"room\":\"java\",\"name\":\"alice\",\"event\":\"leave\"}");
        bob.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("java");
        assertThat(chat.metrics().usersOnline()).isEqualTo(1);

        TestPeer again = peer().login("Alice"); // the name is free again
        bob.next("presence");
        again.close();
        bob.next("presence");
        assertThat(chat.metrics().usersOnline()).isEqualTo(1);
    }

    @Test
    void whisperGoesToTheRecipientAndBackToTheSender() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("Bob");
        alice.next("presence");
        alice.send("{\"type\":\"whisper\",\"to\":\"BOB\",\"text\":\"psst\",\"ref\":\"w\"}");
        String direct = "{\"type\":\"direct\",\"from\":\"alice\",\"to\":\"Bob\",\"text\":\"psst\",\"ts\":" + T0;
        assertThat(bob.next()).isEqualTo(direct + "}");
        assertThat(alice.next()).isEqualTo(direct + ",\"ref\":\"w\"}");

        alice.send("{\"type\":\"whisper\",\"to\":\"carol\",\"text\":\"psst\",\"ref\":\"w2\"}");
        assertThat(str(alice.nextError(ErrorCode.NO_SUCH_USER), "ref")).isEqualTo("w2");
        alice.send("{\"type\":\"whisper\",\"to\":\"" + "x".repeat(1000) + "\",\"text\":\"psst\"}");
        alice.nextError(ErrorCode.NO_SUCH_USER);
        alice.send("{\"type\":\"whisper\",\"to\":\"alice\",\"text\":\"note to self\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"direct\",\"from\":\"alice\",\"to\":\"alice\",\"text\":\"note to self\",\"ts\":" + T0 + "}");
        alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"\"}");
        alice.nextError(ErrorCode.BAD_REQUEST);
        alice.send("{\"type\":\"whisper\",\"text\":\"hi\"}");
        alice.nextError(ErrorCode.BAD_REQUEST);
        alice.assertNothingMoreIn("lobby");
        bob.assertNothingMoreIn("lobby");
        assertThat(chat.metrics().whispers()).isEqualTo(2);
    }

    @Test
    void whoListsAnyRoomsMembers() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        alice.send("{\"type\":\"who\",\"room\":\"lobby\",\"ref\":\"q\"}");
        alice.next("presence");
        assertThat(alice.next()).isEqualTo("{\"type\":\"members\",\"room\":\"lobby\",\"members\":[\"alice\",\"bob\"],\"total\":2,\"ref\":\"q\"}");
        alice.send("{\"type\":\"who\",\"room\":\"java\"}"); // not a member: rooms are public
        assertThat(alice.next()).isEqualTo("{\"type\":\"members\",\"room\":\"java\",\"members\":[\"bob\"],\"total\":1}");
        alice.send("{\"type\":\"who\",\"room\":\"nowhere\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"members\",\"room\":\"nowhere\",\"members\":[],\"total\":0}");
        alice.send("{\"type\":\"who\",\"room\":\"No Where\"}");
        alice.nextError(ErrorCode.BAD_ROOM);
    }

    @Test
    void roomsListsRoomsWithMembersOrHistory() {
        start();
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"quiet\"}");
        alice.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"busy\"}");
        alice.next("joined");
        alice.send("{\"type\":\"say\",\"room\":\"busy\",\"text\":\"x\"}");
        alice.next("message");
        alice.send("{\"type\":\"rooms\",\"ref\":\"r\"}");
        assertThat(alice.next()).isEqualTo("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"busy\",\"members\":1},"
                + "{\"name\":\"lobby\",\"members\":1},{\"name\":\"quiet\",\"members\":1}],\"total\":3,\"ref\":\"r\"}");
        alice.send("{\"type\":\"leave\",\"room\":\"quiet\"}");
        alice.next("left");
        alice.send("{\"type\":\"leave\",\"room\":\"busy\"}");
        alice.next("left");
        alice.send("{\"type\":\"rooms\"}");
        // quiet had neither members nor history left, so it is gone; busy keeps its history. Most members first.
        assertThat(alice.next()).isEqualTo("{\"type\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":1},"
                + "{\"name\":\"busy\",\"members\":0}],\"total\":2}");
        assertThat(chat.metrics().rooms()).isEqualTo(2);
        assertThat(hub.metrics().rooms()).as("the hub forgot quiet too").isEqualTo(2);
    }

    @Test
    void badJsonAndNonObjectsAndBinaryFrames() {
        start();
        TestPeer alice = peer();
        for (String bad : List.of("not json", "{\"type\":\"login\",", "[1,2]", "\"login\"", "{\"type\":\"x\"} trailing",
                "{\"a\":1,\"a\":2}", "")) {
            alice.send(bad);
            JsonObject error = alice.nextError(ErrorCode.BAD_JSON);
            assertThat(error.has("ref")).isFalse();
        }
        alice.sendBinary("{\"type\":\"rooms\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(str(alice.nextError(ErrorCode.BAD_JSON), "message")).contains("binary");
        alice.login("alice"); // still open and working
        assertThat(chat.metrics().errors(ErrorCode.BAD_JSON)).isEqualTo(8);
    }

    @Test
    void badRequestsCarryTheRefWhenItIsValid() {
        start();
        TestPeer alice = peer();
        assertBadRequest(alice, "{\"ref\":\"a\"}", "a");
        assertBadRequest(alice, "{\"type\":7,\"ref\":\"b\"}", "b");
        assertBadRequest(alice, "{\"type\":\"login\",\"ref\":\"c\"}", "c");
        assertBadRequest(alice, "{\"type\":\"login\",\"name\":5,\"ref\":\"d\"}", "d");
        assertBadRequest(alice, "{\"type\":\"login\",\"name\":\"alice\",\"ref\":5}", null);
        assertBadRequest(alice, "{\"type\":\"login\",\"name\":\"alice\",\"ref\":\"" + "r".repeat(65) + "\"}", null);
        alice.login("alice");
        assertBadRequest(alice, "{\"type\":\"login\",\"name\":\"bob\",\"ref\":\"twice\"}", "twice");
        assertBadRequest(alice, "{\"type\":\"join\",\"ref\":\"e\"}", "e");
        assertBadRequest(alice, "{\"type\":\"join\",\"room\":[\"x\"],\"ref\":\"f\"}", "f");
        assertBadRequest(alice, "{\"type\":\"join\",\"room\":\"x\",\"since\":-1,\"ref\":\"g\"}", "g");
        assertBadRequest(alice, "{\"type\":\"join\",\"room\":\"x\",\"since\":1.5,\"ref\":\"h\"}", "h");
        assertBadRequest(alice, "{\"type\":\"join\",\"room\":\"x\",\"since\":\"3\",\"ref\":\"i\"}", "i");
        assertBadRequest(alice, "{\"type\":\"say\",\"room\":\"lobby\",\"ref\":\"j\"}", "j");
        assertBadRequest(alice, "{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"\",\"ref\":\"k\"}", "k");
        assertBadRequest(alice, "{\"type\":\"say\",\"room\":\"lobby\",\"text\":null,\"ref\":\"l\"}", "l");
        assertBadRequest(alice, "{\"type\":\"leave\",\"ref\":\"m\"}", "m");
        assertBadRequest(alice, "{\"type\":\"who\",\"ref\":\"n\"}", "n");
        // A 64-character ref is fine, and unknown fields are ignored.
        String ref = "r".repeat(64);
        alice.send("{\"type\":\"rooms\",\"ref\":\"" + ref + "\",\"extra\":{\"x\":[1]}}");
        assertThat(str(alice.next("rooms"), "ref")).isEqualTo(ref);
    }

    private static void assertBadRequest(TestPeer peer, String json, String ref) {
        peer.send(json);
        JsonObject error = peer.nextError(ErrorCode.BAD_REQUEST);
        assertThat(str(error, "ref")).as(json).isEqualTo(ref);
    }

    @Test
    void unknownTypeAndNotLoggedIn() {
        start();
        TestPeer alice = peer();
        alice.send("{\"type\":\"dance\",\"ref\":\"u\"}");
        assertThat(str(alice.nextError(ErrorCode.UNKNOWN_TYPE), "ref")).isEqualTo("u");
        for (String type : List.of("join", "leave", "say", "whisper", "who", "rooms")) {
            alice.send("{\"type\":\"" + type + "\",\"ref\":\"" + type + "\"}");
            assertThat(str(alice.nextError(ErrorCode.NOT_LOGGED_IN), "ref")).isEqualTo(type);
        }
        alice.login("alice");
        alice.send("{\"type\":\"dance\"}");
        alice.nextError(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        start();
        peer().login("Alice");
        for (String taken : List.of("alice", "ALICE", "aLiCe", "\uFF21lice" /* fullwidth A */)) {
            TestPeer other = peer();
            other.send("{\"type\":\"login\",\"name\":\"" + taken + "\",\"ref\":\"n\"}");
            assertThat(str(other.nextError(ErrorCode.NAME_TAKEN), "ref")).isEqualTo("n");
            other.login("other-" + taken.length() + "-" + Integer.toHexString(taken.hashCode())); // still open
        }
        TestPeer strasse = peer().login("Straße");
        TestPeer shouting = peer();
        shouting.send("{\"type\":\"login\",\"name\":\"STRASSE\"}");
        shouting.nextError(ErrorCode.NAME_TAKEN);
        assertThat(strasse).isNotNull();
    }

    @Test
    void namesAreLettersDigitsUnderscoreAndHyphen() {
        start();
        for (String bad : List.of("", " ", "a b", "al!ce", "a.b", "😀", "x".repeat(33), "tab\\t", "<b>", "١٢٣", "_x", "9a", "a\u200Db")) {
            TestPeer p = peer();
            p.send("{\"type\":\"login\",\"name\":\"" + bad + "\"}");
            p.nextError(ErrorCode.BAD_NAME);
        }
        for (String good : List.of("a", "Zoë", "日本語", "ÄÖÜ_9-x", "x".repeat(32), "e\u0301t\u00e9", "अनिल")) {
            TestPeer p = peer().send("{\"type\":\"login\",\"name\":\"" + good + "\"}");
            assertThat(str(p.next("welcome"), "name")).isEqualTo(java.text.Normalizer.normalize(good,
                    java.text.Normalizer.Form.NFC));
        }
    }

    @Test
    void roomNamesAreLowercaseLettersDigitsUnderscoreAndHyphen() {
        start();
        TestPeer alice = peer().login("alice");
        for (String bad : List.of("", "Java", "a b", "é", "x".repeat(65), "a/b")) {
            alice.send("{\"type\":\"join\",\"room\":\"" + bad + "\",\"ref\":\"x\"}");
            assertThat(str(alice.nextError(ErrorCode.BAD_ROOM), "ref")).isEqualTo("x");
        }
        alice.send("{\"type\":\"say\",\"room\":\"BAD\",\"text\":\"x\"}");
        alice.nextError(ErrorCode.BAD_ROOM);
        alice.send("{\"type\":\"join\",\"room\":\"" + "a-z_0-9".repeat(10).substring(0, 64) + "\"}");
        alice.next("joined");
    }

    @Test
    void tooManyRoomsIsBadRoom() {
        start(ChatConfig.builder().burst(1_000).maxRooms(2));
        TestPeer alice = peer().login("alice"); // the lobby is not counted: a login always finds it
        alice.send("{\"type\":\"join\",\"room\":\"first\"}");
        alice.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"second\"}");
        alice.next("joined");
        alice.send("{\"type\":\"join\",\"room\":\"third\",\"ref\":\"t\"}");
        assertThat(str(alice.nextError(ErrorCode.BAD_ROOM), "message")).contains("too many rooms");
        alice.send("{\"type\":\"leave\",\"room\":\"second\"}"); // empty and without history: it goes away
        alice.next("left");
        alice.send("{\"type\":\"join\",\"room\":\"third\"}");
        alice.next("joined");
    }

    @Test
    void textLongerThanTheLimitIsTooLong() {
        start(ChatConfig.builder().burst(1_000).maxTextChars(5).maxRequestBytes(200));
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"123456\",\"ref\":\"long\"}");
        assertThat(str(alice.nextError(ErrorCode.TOO_LONG), "ref")).isEqualTo("long");
        // Five code points, ten UTF-16 units: within the limit.
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"😀😀😀😀😀\"}");
        alice.next("message");
        alice.send("{\"type\":\"whisper\",\"to\":\"alice\",\"text\":\"123456\"}");
        alice.nextError(ErrorCode.TOO_LONG);
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + "x".repeat(300) + "\"}");
        assertThat(str(alice.nextError(ErrorCode.TOO_LONG), "message")).contains("bytes");
    }

    @Test
    void theDefaultTextLimitIs4096CodePoints() {
        start();
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + "é".repeat(4096) + "\"}");
        alice.next("message");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + "é".repeat(4097) + "\"}");
        alice.nextError(ErrorCode.TOO_LONG);
    }

    @Test
    void eachConnectionIsRateLimitedByATokenBucket() {
        start(ChatConfig.builder().messagesPerSecond(2).burst(4));
        TestPeer alice = peer().login("alice"); // 1 token
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        for (int i = 0; i < 3; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"" + i + "\"}");
            alice.next("message");
            bob.next("message");
        }
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"too many\",\"ref\":\"rl\"}");
        assertThat(str(alice.nextError(ErrorCode.RATE_LIMITED), "ref")).isEqualTo("rl");
        alice.send("not even json");
        alice.nextError(ErrorCode.RATE_LIMITED);
        // Bob has his own bucket.
        bob.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"me\"}");
        bob.next("message");
        alice.next("message");
        // Half a second later Alice has one token again, and only one.
        clock.advanceMillis(500);
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"again\"}");
        assertThat(str(alice.next("message"), "text")).isEqualTo("again");
        bob.next("message");
        alice.send("{\"type\":\"rooms\"}");
        alice.nextError(ErrorCode.RATE_LIMITED);
        // After a long pause the bucket is full, not fuller.
        clock.advanceMillis(60_000);
        for (int i = 0; i < 4; i++) {
            alice.send("{\"type\":\"rooms\"}");
            alice.next("rooms");
        }
        alice.send("{\"type\":\"rooms\"}");
        alice.nextError(ErrorCode.RATE_LIMITED);
        assertThat(chat.metrics().errors(ErrorCode.RATE_LIMITED)).isEqualTo(4);
    }

    @Test
    void everyErrorKeepsTheConnectionOpen() {
        start();
        TestPeer alice = peer();
        alice.send("{");
        alice.nextError(ErrorCode.BAD_JSON);
        alice.send("{\"type\":\"say\"}");
        alice.nextError(ErrorCode.NOT_LOGGED_IN);
        alice.login("alice");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"still here\"}");
        assertThat(alice.next("message").get("text")).isEqualTo(new JsonString("still here"));
        assertThat(alice.connection.closedWith()).isNull();
    }
}
