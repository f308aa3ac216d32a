package dev.chatengine.engine.chat;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.HubListener;
import dev.chatengine.engine.chat.spi.LocalBroker;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.testing.InMemoryConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.chatengine.engine.chat.TestPeer.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Chat from server code (issue 9): the server-side API (announce, kick, online, members), the hooks
 * (room policy, filter, listener, history source), the identity policy, resume and takeover, idempotent
 * ids, epochs, and the attachment slot left to the application. In memory.
 */
class ChatServerSideTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long T0 = 1_764_121_400_123L;

    private final MutableClock clock = new MutableClock(T0);
    private final List<Hub> hubs = new ArrayList<>();
    /** Every client of the hub, by its connection's address, to look at how it closed. */
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private Hub hub;
    private ChatService chat;

    @AfterEach
    void shutdown() {
        hubs.forEach(h -> h.shutdown(Duration.ofSeconds(5)));
    }

    private void start(ChatConfig.Builder config, ChatHooks hooks) {
        hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
        hub.addListener(new HubListener() {
            @Override
            public void onConnected(Client client) {
                clients.put(client.remoteAddress(), client);
            }
        });
        hubs.add(hub);
        chat = ChatService.builder(hub).config(config.burst(1_000).build()).hooks(hooks).clock(clock)
                .broker(new LocalBroker("e")).build();
    }

    private void start(ChatHooks hooks) {
        start(ChatConfig.builder(), hooks);
    }

    private void start() {
        start(ChatHooks.defaults());
    }

    private TestPeer peer() {
        return new TestPeer(hub, chat);
    }

    private Client clientOf(TestPeer peer) {
        return clients.get(peer.connection.remoteAddress());
    }

    /** The WebSocket close code the application gave the client (the one place that reads it). */
    private int closeCodeOf(TestPeer peer) {
        return clientOf(peer).applicationClose().map(dev.chatengine.engine.ApplicationClose::code).orElse(0);
    }

    @Test
    void announceIsAMessageWithSeqKeptInHistoryAndRecoverable() {
        start();
        TestPeer alice = peer().login("alice");
        SequencedMessage m = chat.announce("lobby", "system", "maintenance at 22:00");
        assertThat(m.seq()).isEqualTo(1);
        assertThat(m.epoch()).isEqualTo("e1");
        assertThat(alice.next()).isEqualTo("{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"system\","
                + "\"text\":\"maintenance at 22:00\",\"seq\":1,\"ts\":" + T0 + "}");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"ok\"}");
        assertThat(alice.next("message").get("seq")).hasToString("JsonNumber[text=2]");

        TestPeer bob = peer().login("bob");
        bob.send("{\"type\":\"join\",\"room\":\"lobby\",\"since\":0,\"epoch\":\"e1\"}");
        JsonObject joined = bob.next("joined");
        assertThat(joined.get("recovered")).hasToString("JsonBool[value=true]");
        assertThat(((JsonArray) joined.get("history")).elements()).hasSize(2);
        assertThat(chat.members("lobby")).containsExactly("alice", "bob"); // no bot among the members

        // A room that does not exist is made; bad arguments are refused.
        assertThat(chat.announce("news", "system", "first").seq()).isEqualTo(1);
        assertThatThrownBy(() -> chat.announce("No Room", "system", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chat.announce("lobby", "not a name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chat.announce("lobby", "system", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kickClosesWith4001AndTheNameIsFreeAtOnce() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        assertThat(chat.kick("ALICE", "spamming")).isTrue();
        bob.next("presence"); // alice left, before kick() returned
        assertThat(chat.online()).containsExactly("bob");
        alice.awaitGone();
        assertThat(closeCodeOf(alice)).isEqualTo(ChatService.CLOSE_KICKED);
        TestPeer again = peer().login("alice"); // no ban
        assertThat(chat.online()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(chat.kick("nobody", null)).isFalse();
        assertThatThrownBy(() -> chat.kick("bob", "x".repeat(124))).isInstanceOf(IllegalArgumentException.class);
        again.assertNothingMoreIn("lobby");
    }

    @Test
    void onlineAndMembersSeeEveryone() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("Bob");
        alice.next("presence");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}");
        bob.next("joined");
        assertThat(chat.online()).containsExactlyInAnyOrder("alice", "Bob");
        assertThat(chat.members("lobby")).containsExactly("alice", "Bob");
        assertThat(chat.members("java")).containsExactly("Bob");
        assertThat(chat.members("nowhere")).isEmpty();
    }

    @Test
    void theRoomPolicyCanForbidJoiningAndCreating() {
        List<String> asked = new CopyOnWriteArrayList<>();
        start(ChatHooks.builder().roomPolicy((client, name, room, creating) -> {
            asked.add(name + ":" + room + ":" + creating);
            return !room.startsWith("staff") && !(creating && name.equals("bob"));
        }).build());
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"staff\",\"ref\":\"s\"}");
        assertThat(str(alice.nextError(ErrorCode.FORBIDDEN), "ref")).isEqualTo("s");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        alice.next("joined");
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        bob.send("{\"type\":\"join\",\"room\":\"java\"}"); // exists: bob may join it
        bob.next("joined");
        bob.send("{\"type\":\"join\",\"room\":\"rust\"}"); // bob may not create rooms
        bob.nextError(ErrorCode.FORBIDDEN);
        assertThat(asked).contains("alice:lobby:true", "alice:staff:true", "bob:java:false", "bob:rust:true");
        assertThat(chat.members("rust")).isEmpty();
    }

    @Test
    void theFilterRejectsWithItsOwnCodeOrReplacesTheText() {
        start(ChatHooks.builder().filter(m -> {
            if (m.text().contains("spam")) {
                return MessageFilter.Verdict.reject("spam", "no spam here");
            }
            return m.text().contains("darn") ? MessageFilter.Verdict.replace(m.text().replace("darn", "d**n"))
                    : MessageFilter.Verdict.accept();
        }).build());
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"buy spam\",\"ref\":\"1\"}");
        JsonObject error = alice.next("error");
        assertThat(str(error, "code")).isEqualTo("spam");
        assertThat(str(error, "message")).isEqualTo("no spam here");
        assertThat(str(error, "ref")).isEqualTo("1");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"darn it\"}");
        assertThat(str(bob.next("message"), "text")).isEqualTo("d**n it");
        assertThat(str(alice.next("message"), "text")).isEqualTo("d**n it");
        alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"spam?\"}");
        assertThat(str(alice.next("error"), "code")).isEqualTo("spam");
        alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"darn\"}");
        assertThat(str(bob.next("direct"), "text")).isEqualTo("d**n");
        assertThat(str(alice.next("direct"), "text")).isEqualTo("d**n");
        bob.assertNothingMoreIn("lobby"); // nothing of the refused ones reached bob
    }

    @Test
    void theListenerHearsEachMessageInOrderOnTheSendersReadPump() {
        List<String> heard = new CopyOnWriteArrayList<>();
        start(ChatHooks.builder().listener(m -> heard.add(m.epoch() + "/" + m.seq() + " " + m.message().from() + ": "
                + m.message().text() + " on " + Thread.currentThread().getName())).build());
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"one\"}");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"two\"}");
        alice.next("message");
        alice.next("message");
        Await.until("the listener heard both", () -> heard.size() == 2); // it runs after the delivery
        chat.announce("lobby", "system", "three");
        alice.next("message");
        alice.send("{\"type\":\"whisper\",\"to\":\"alice\",\"text\":\"not a room message\"}");
        alice.next("direct");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"four\"}");
        alice.next("message");
        Await.until("the listener heard four", () -> heard.size() == 4);
        heard.removeLast();
        assertThat(heard).containsExactly("e1/1 alice: one on test-peer", "e1/2 alice: two on test-peer",
                "e1/3 system: three on " + Thread.currentThread().getName());
    }

    @Test
    void theHistorySourceSeedsEachNewLifeOfARoomAndTheListenerIsNotToldOfIt() {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<SequencedMessage> heard = new CopyOnWriteArrayList<>();
        start(ChatConfig.builder().roomExpiry(Duration.ofMinutes(1)), ChatHooks.builder()
                .history(room -> {
                    asked.add(room);
                    return room.equals("java") ? List.of(new HistorySource.Past("ann", "from the archive", 5),
                            new HistorySource.Past("ben", "me too", 6)) : List.of();
                })
                .listener(heard::add)
                .build());
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        JsonObject joined = alice.next("joined");
        assertThat(joined.get("history")).hasToString(
                "JsonArray[elements=[JsonObject[members={type=JsonString[value=message], room=JsonString[value=java], "
                        + "from=JsonString[value=ann], text=JsonString[value=from the archive], seq=JsonNumber[text=1], "
                        + "ts=JsonNumber[text=5]}], JsonObject[members={type=JsonString[value=message], room=JsonString[value=java], "
                        + "from=JsonString[value=ben], text=JsonString[value=me too], seq=JsonNumber[text=2], ts=JsonNumber[text=6]}]]]");
        alice.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"new\"}");
        assertThat(alice.next("message").get("seq")).hasToString("JsonNumber[text=3]");
        Await.until("the listener heard it", () -> !heard.isEmpty());
        assertThat(heard).extracting(SequencedMessage::seq).containsExactly(3L);
        assertThat(asked).containsExactly("lobby", "java");

        // The room expires; its next life asks again and starts a new epoch.
        alice.send("{\"type\":\"leave\",\"room\":\"java\"}");
        alice.next("left");
        clock.advanceMillis(Duration.ofMinutes(2).toMillis());
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        JsonObject again = alice.next("joined");
        assertThat(str(again, "epoch")).isNotEqualTo(str(joined, "epoch"));
        assertThat(((JsonArray) again.get("history")).elements()).hasSize(2);
        assertThat(asked).containsExactly("lobby", "java", "java");
    }

    @Test
    void withThePrincipalPolicyTheNameComesFromTheHandshake() {
        start(ChatHooks.builder().identity(IdentityPolicy.fromPrincipal(true)).build());
        TestPeer alice = new TestPeer(hub, chat, new InMemoryConnection().withPrincipal(() -> "alice"));
        alice.send("{\"type\":\"login\",\"name\":\"mallory\",\"ref\":\"x\"}");
        assertThat(str(alice.nextError(ErrorCode.FORBIDDEN), "ref")).isEqualTo("x");
        alice.send("{\"type\":\"login\"}");
        assertThat(str(alice.next("welcome"), "name")).isEqualTo("alice");
        alice.next("joined");

        TestPeer anonymous = peer();
        anonymous.send("{\"type\":\"login\",\"name\":\"bob\"}");
        anonymous.nextError(ErrorCode.FORBIDDEN);

        // The newest connection of the same identity takes over; the old one is closed with 4000.
        TestPeer alice2 = new TestPeer(hub, chat, new InMemoryConnection().withPrincipal(() -> "alice"));
        alice2.send("{\"type\":\"login\",\"name\":\"ALICE\"}");
        assertThat(str(alice2.next("welcome"), "name")).isEqualTo("alice");
        assertThat(alice2.next("joined").get("members")).hasToString("JsonArray[elements=[JsonString[value=alice]]]");
        alice.awaitGone();
        assertThat(closeCodeOf(alice)).isEqualTo(ChatService.CLOSE_REPLACED);
    }

    @Test
    void withoutTakeoverASecondConnectionOfTheIdentityFindsTheNameTaken() {
        start(ChatHooks.builder().identity(IdentityPolicy.fromPrincipal(false)).build());
        TestPeer alice = new TestPeer(hub, chat, new InMemoryConnection().withPrincipal(() -> "alice"));
        alice.send("{\"type\":\"login\"}");
        alice.next("welcome");
        alice.next("joined");
        TestPeer alice2 = new TestPeer(hub, chat, new InMemoryConnection().withPrincipal(() -> "alice"));
        alice2.send("{\"type\":\"login\"}");
        alice2.nextError(ErrorCode.NAME_TAKEN);
        alice.assertNothingMoreIn("lobby");
    }

    @Test
    void aResumeTokenTakesTheNameOverAtOnceAndTheOthersSeeLeaveBeforeJoin() {
        start();
        TestPeer bob = peer().login("bob");
        TestPeer alice = peer();
        alice.connection.answerClose(false); // a dead peer: it would never finish closing by itself
        alice.login("alice");
        bob.next("presence");
        String token = alice.resume;
        assertThat(token).matches("[A-Za-z0-9_-]{22}");

        TestPeer impostor = peer();
        impostor.send("{\"type\":\"login\",\"name\":\"alice\",\"resume\":\"AAAAAAAAAAAAAAAAAAAAAA\"}");
        impostor.nextError(ErrorCode.NAME_TAKEN); // an unknown token is ignored

        TestPeer again = peer();
        again.send("{\"type\":\"login\",\"name\":\"alice\",\"resume\":\"" + token + "\"}");
        String fresh = str(again.next("welcome"), "resume");
        assertThat(fresh).isNotEqualTo(token);
        again.next("joined");
        assertThat(bob.next()).isEqualTo("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"leave\"}");
        assertThat(bob.next()).isEqualTo("{\"type\":\"presence\",\"room\":\"lobby\",\"name\":\"alice\",\"event\":\"join\"}");
        assertThat(closeCodeOf(alice)).isEqualTo(ChatService.CLOSE_REPLACED);

        // The token works once: the old one is spent, the fresh one works.
        TestPeer third = peer();
        third.send("{\"type\":\"login\",\"name\":\"alice\",\"resume\":\"" + token + "\"}");
        third.nextError(ErrorCode.NAME_TAKEN);
        third.send("{\"type\":\"login\",\"resume\":\"" + fresh + "\"}"); // the name may come from the token
        assertThat(str(third.next("welcome"), "name")).isEqualTo("alice");
    }

    @Test
    void ofConcurrentLoginsOfOneNameExactlyOneWins() throws InterruptedException {
        start();
        List<TestPeer> peers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            peers.add(peer());
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (TestPeer p : peers) {
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.send("{\"type\":\"login\",\"name\":\"" + (p == peers.getFirst() ? "alice" : "ALICE") + "\"}");
            }));
        }
        go.countDown();
        for (Thread t : senders) {
            t.join();
        }
        int welcomes = 0;
        for (TestPeer p : peers) {
            String first = p.next();
            if (first.startsWith("{\"type\":\"welcome\"")) {
                welcomes++;
                p.next("joined");
            } else {
                assertThat(first).contains("\"code\":\"name_taken\"");
            }
        }
        assertThat(welcomes).isEqualTo(1);
        assertThat(chat.online()).hasSize(1);
    }

    @Test
    void aNameIsFreeAsSoonAsItsConnectionStartsClosing() {
        start();
        TestPeer alice = peer();
        alice.connection.answerClose(false);
        alice.login("alice");
        clientOf(alice).close(dev.chatengine.engine.DisconnectReason.POLICY); // closing, and the peer never answers
        TestPeer again = peer().login("alice"); // at once, without waiting for the old connection to end
        again.assertNothingMoreIn("lobby");
        assertThat(chat.members("lobby")).containsExactly("alice");
    }

    @Test
    void aRepeatedIdIsAnsweredWithTheOriginalAndDeliveredToNobody() {
        start();
        TestPeer alice = peer().login("alice");
        TestPeer bob = peer().login("bob");
        alice.next("presence");
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"once\",\"id\":\"m1\",\"ref\":\"a\"}");
        String original = alice.next();
        assertThat(original).endsWith(",\"seq\":1,\"ts\":" + T0 + ",\"id\":\"m1\",\"ref\":\"a\"}");
        assertThat(bob.next()).doesNotContain("\"id\"").contains("\"seq\":1");
        clock.advanceMillis(1_000);
        alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"once\",\"id\":\"m1\",\"ref\":\"b\"}");
        assertThat(alice.next()).isEqualTo(original.replace("\"ref\":\"a\"", "\"ref\":\"b\""));
        alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"psst\",\"id\":\"w1\"}");
        String direct = alice.next();
        assertThat(direct).endsWith(",\"id\":\"w1\"}");
        bob.next("direct");
        alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"psst\",\"id\":\"w1\"}");
        assertThat(alice.next()).isEqualTo(direct);
        bob.assertNothingMoreIn("lobby");

        // The same user on a new connection (a page that reconnected) is still recognised.
        alice.close();
        bob.next("presence");
        TestPeer alice2 = peer().login("alice");
        bob.next("presence");
        alice2.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"once\",\"id\":\"m1\"}");
        assertThat(alice2.next()).contains("\"seq\":1,");
        bob.assertNothingMoreIn("lobby");

        // After the window the id is new again.
        clock.advanceMillis(ChatConfig.DEFAULT_IDEMPOTENCY_WINDOW.toMillis() + 2_000);
        alice2.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"once\",\"id\":\"m1\"}");
        assertThat(alice2.next()).contains("\"seq\":2,");
    }

    @Test
    void epochsTellOneLifeOfARoomFromTheNext() {
        start(ChatConfig.builder().roomExpiry(Duration.ofMinutes(1)), ChatHooks.defaults());
        TestPeer alice = peer().login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\"}");
        String epoch = str(alice.next("joined"), "epoch");
        for (int i = 1; i <= 3; i++) {
            alice.send("{\"type\":\"say\",\"room\":\"java\",\"text\":\"m" + i + "\"}");
            alice.next("message");
        }
        assertRecovery(alice, "{\"since\":1,\"epoch\":\"" + epoch + "\"}", true, 2);
        assertRecovery(alice, "{\"since\":1}", true, 2); // no epoch: the current one, for old clients
        assertRecovery(alice, "{\"since\":1,\"epoch\":\"another\"}", false, 3);
        assertRecovery(alice, "{\"since\":9,\"epoch\":\"" + epoch + "\"}", false, 3);

        // Forgotten and made again: a new epoch, and the old since is not recovered.
        alice.send("{\"type\":\"leave\",\"room\":\"java\"}");
        alice.next("left");
        clock.advanceMillis(Duration.ofMinutes(1).toMillis());
        alice.send("{\"type\":\"join\",\"room\":\"java\",\"since\":3,\"epoch\":\"" + epoch + "\"}");
        JsonObject joined = alice.next("joined");
        assertThat(str(joined, "epoch")).isNotEqualTo(epoch);
        assertThat(joined.get("recovered")).hasToString("JsonBool[value=false]");
        assertThat(((JsonArray) joined.get("history")).elements()).isEmpty();
    }

    /** A repeated join of a room one is in, with {@code sinceFields}: only the messages after it, and the verdict. */
    private static void assertRecovery(TestPeer peer, String sinceFields, boolean recovered, int messages) {
        peer.send("{\"type\":\"join\",\"room\":\"java\"," + sinceFields.substring(1));
        JsonObject joined = peer.next("joined");
        assertThat(joined.get("recovered")).as(sinceFields).hasToString("JsonBool[value=" + recovered + "]");
        assertThat(((JsonArray) joined.get("history")).elements()).as(sinceFields).hasSize(messages);
    }

    @Test
    void theAttachmentSlotStaysTheApplications() {
        start();
        dev.chatengine.engine.ClientHandler app = new dev.chatengine.engine.ClientHandler() {
            @Override
            public void onOpen(Client client) {
                client.attach("the application's");
                chat.onOpen(client);
            }

            @Override
            public void onText(Client client, dev.chatengine.engine.transport.Inbound.Text message) {
                chat.onText(client, message);
            }

            @Override
            public void onClose(Client client, dev.chatengine.engine.DisconnectReason reason) {
                chat.onClose(client, reason);
            }
        };
        InMemoryConnection connection = new InMemoryConnection();
        Thread.ofVirtual().start(() -> hub.serve(connection, app));
        connection.feed("{\"type\":\"login\",\"name\":\"alice\"}");
        connection.await("joined", WAIT, c -> c.received().stream().anyMatch(s -> s.startsWith("{\"type\":\"joined\"")));
        connection.feed("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi\"}");
        connection.await("the message", WAIT, c -> c.received().stream().anyMatch(s -> s.contains("\"text\":\"hi\"")));
        Client client = clients.get(connection.remoteAddress());
        assertThat((String) client.attachment()).isEqualTo("the application's");
    }
}
