package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.engine.json.JsonValue.JsonString;
import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static dev.chatengine.engine.chat.TestPeer.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rooms come and go with the chat: one with neither members nor history leaves the chat's list and
 * the hub, while clients keep joining and leaving the same names from many threads; none of them
 * ever ends up in a room the chat has forgotten.
 */
class ChatRoomLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Hub hub;

    @AfterEach
    void shutdown() {
        if (hub != null) {
            hub.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRoomWithoutMembersOrHistoryLeavesTheChatAndTheHub() {
        hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
        ChatService chat = new ChatService(hub, ChatConfig.builder().burst(1_000).build());
        TestPeer alice = new TestPeer(hub, chat).login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"quiet\"}");
        alice.next("joined");
        Room quiet = hub.findRoom("quiet").orElseThrow();
        assertThat(hub.metrics().rooms()).isEqualTo(2);

        alice.send("{\"type\":\"leave\",\"room\":\"quiet\"}");
        alice.next("left");
        assertThat(hub.findRoom("quiet")).isEmpty();
        assertThat(quiet.isRetired()).isTrue();
        assertThat(hub.metrics().rooms()).isEqualTo(1);
        assertThat(chat.metrics().rooms()).isEqualTo(1);

        alice.send("{\"type\":\"join\",\"room\":\"quiet\"}"); // the name makes a new room
        alice.next("joined");
        assertThat(hub.findRoom("quiet").orElseThrow()).isNotSameAs(quiet);
        alice.close();
        assertThat(hub.metrics().rooms()).as("alice's rooms went with her").isZero();
        assertThat(chat.metrics().rooms()).isZero();
    }

    @Test
    void concurrentJoinsAndLeavesOfTheSameNamesLoseNobody() throws Exception {
        int peers = 8;
        int rounds = 60;
        List<String> quietRooms = List.of("q1", "q2", "q3");
        List<String> talkRooms = List.of("t1", "t2");
        List<String> allRooms = new ArrayList<>(quietRooms);
        allRooms.addAll(talkRooms);
        hub = Hub.create(HubConfig.builder().sendQueueCapacity(100_000).build(), IdentityEncoder.INSTANCE);
        ChatService chat = new ChatService(hub, ChatConfig.builder().messagesPerSecond(1_000_000).burst(1_000_000).build());
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Set<String> spokenIn = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<TestPeer> all = new ArrayList<>();
        for (int p = 0; p < peers; p++) {
            String name = "u" + p;
            TestPeer peer = new TestPeer(hub, chat).login(name);
            all.add(peer);
            SplittableRandom random = new SplittableRandom(p);
            threads.add(Thread.ofPlatform().name("chatter-" + p).start(() -> {
                try {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        String room = allRooms.get(random.nextInt(allRooms.size()));
                        String ref = name + "-" + round;
                        request(peer, "{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "j\"}", "joined", ref + "j");
                        // Joined: the chat's room of that name lists us, and what is said there reaches us.
                        JsonObject who = request(peer, "{\"type\":\"who\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "w\"}",
                                "members", ref + "w");
                        assertThat(((JsonArray) who.get("members")).elements()).as("%s in %s", name, room).contains(new JsonString(name));
                        if (talkRooms.contains(room)) {
                            request(peer, "{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"hi\",\"ref\":\"" + ref + "s\"}",
                                    "message", ref + "s");
                            spokenIn.add(room);
                        }
                        if (random.nextInt(3) != 0) {
                            request(peer, "{\"type\":\"leave\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "l\"}", "left", ref + "l");
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.multipliedBy(3));
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
        }
        assertThat(failures).isEmpty();

        all.forEach(TestPeer::close);
        Set<String> hubRooms = hub.rooms().stream().map(Room::name).collect(Collectors.toSet());
        assertThat(hubRooms).as("only rooms with history remain").isEqualTo(spokenIn);
        assertThat(hub.metrics().rooms()).isEqualTo(spokenIn.size());
        assertThat(chat.metrics().rooms()).isEqualTo(spokenIn.size());
        assertThat(hub.rooms()).allSatisfy(r -> assertThat(r.size()).isZero());
    }

    /** Sends {@code json} and returns its reply of {@code type} with {@code ref}, skipping room traffic; an error fails. */
    private static JsonObject request(TestPeer peer, String json, String type, String ref) {
        peer.send(json);
        while (true) {
            JsonObject o = (JsonObject) JsonReader.defaults().parse(peer.next());
            if (ref.equals(str(o, "ref"))) {
                assertThat(str(o, "type")).as("reply to %s: %s", json, o).isEqualTo(type);
                return o;
            }
            assertThat(str(o, "type")).as("unexpected %s", o).isIn("presence", "message");
        }
    }
}
