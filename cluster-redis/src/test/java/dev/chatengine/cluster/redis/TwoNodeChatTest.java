package dev.chatengine.cluster.redis;

import dev.chatengine.engine.chat.ChatHooks;
import dev.chatengine.testing.ChatTestClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat protocol v1 across two nodes (two hubs in this JVM) sharing one real redis-server. */
class TwoNodeChatTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private Node a;
    private Node b;

    @BeforeEach
    void start() {
        try (Jedis j = REDIS.connect()) {
            j.flushAll();
        }
        a = new Node(REDIS.uri(), "a");
        b = new Node(REDIS.uri(), "b");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static List<String> order(List<Reply> messages, String room) {
        List<String> out = new ArrayList<>();
        for (Reply m : messages) {
            if (room.equals(m.string("room"))) {
                out.add(m.number("seq") + " " + m.string("from") + " " + m.string("text"));
            }
        }
        return out;
    }

    @Test
    void applicationListenersHearEachMessageOnceOnTheNodeThatAcceptedIt() {
        List<String> heardOnA = new CopyOnWriteArrayList<>();
        List<String> heardOnB = new CopyOnWriteArrayList<>();
        try (Node la = listening("la", heardOnA); Node lb = listening("lb", heardOnB)) {
            Peer alice = la.connect();
            alice.login("alice");
            alice.join("heard");
            Peer bob = lb.connect();
            bob.login("bob");
            bob.join("heard");
            for (int i = 1; i <= 3; i++) {
                alice.say("heard", "a" + i);
            }
            bob.say("heard", "b1");
            bob.say("heard", "b2");
            la.chat.announce("heard", "system", "notice");
            alice.awaitAll("message", 6);
            bob.awaitAll("message", 6);
            // each read pump answers in order: once the rooms reply is back, its sender's listener calls are done
            alice.send("{\"type\":\"rooms\"}");
            alice.next("rooms");
            bob.send("{\"type\":\"rooms\"}");
            bob.next("rooms");
            assertThat(heardOnA).containsExactlyInAnyOrder("alice:a1", "alice:a2", "alice:a3", "system:notice");
            assertThat(heardOnA).filteredOn(h -> h.startsWith("alice:")).containsExactly("alice:a1", "alice:a2", "alice:a3");
            assertThat(heardOnB).containsExactly("bob:b1", "bob:b2");
        }
    }

    private static Node listening(String id, List<String> heard) {
        return new Node(Node.fast(REDIS.uri(), id).build(), chat -> chat.hooks(ChatHooks.builder()
                .listener(m -> heard.add(m.message().from() + ":" + m.message().text())).build()));
    }

    @Test
    void oneOrderEverywhereUnderConcurrentSendersOnBothNodes() throws Exception {
        int perSender = 100;
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Peer pa = a.connect();
            pa.login("a" + i);
            pa.join("race");
            peers.add(pa);
            Peer pb = b.connect();
            pb.login("b" + i);
            pb.join("race");
            peers.add(pb);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            String who = (i % 2 == 0 ? "a" : "b") + (i / 2);
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < perSender; k++) {
                    p.send("{\"type\":\"say\",\"room\":\"race\",\"text\":\"" + who + "-" + k + "\",\"ref\":\"" + k + "\"}");
                }
            }));
        }
        go.countDown();
        for (Thread t : senders) {
            t.join();
        }
        int total = perSender * peers.size();
        List<String> first = null;
        for (Peer p : peers) {
            List<String> seen = order(p.awaitAll("message", total), "race");
            assertThat(seen).hasSize(total);
            for (int s = 0; s < total; s++) {
                assertThat(seen.get(s)).startsWith((s + 1) + " ");  // consecutive seqs 1..total, no gap, no repeat
            }
            if (first == null) {
                first = seen;
            } else {
                assertThat(seen).isEqualTo(first);                   // the same order on every client of both nodes
            }
        }
        // Each sender's own copies carry its refs, in the order it sent them.
        for (Peer p : peers) {
            List<Long> refs = new ArrayList<>();
            for (Reply m : p.all("message")) {
                if (m.has("ref")) {
                    refs.add(Long.parseLong(m.string("ref")));
                }
            }
            assertThat(refs).hasSize(perSender).isSorted();
        }
        assertThat(a.broker.metrics().publishes() + b.broker.metrics().publishes()).isEqualTo(total);
    }

    @Test
    void presenceWhoAndWhispersAcrossNodes() {
        Peer alice = a.connect();
        alice.login("alice");
        Peer bob = b.connect();
        bob.login("bob");
        Reply joined = alice.next("presence");
        assertThat(joined.string("name")).isEqualTo("bob");
        assertThat(joined.string("event")).isEqualTo("join");
        bob.send("{\"type\":\"who\",\"room\":\"lobby\"}");
        assertThat(bob.next("members").list("members")).containsExactly("alice", "bob");
        alice.join("only-on-a");
        bob.send("{\"type\":\"rooms\"}");
        assertThat(bob.next("rooms").json()).contains("{\"name\":\"lobby\",\"members\":2}")
                .contains("{\"name\":\"only-on-a\",\"members\":1}");
        alice.send("{\"type\":\"whisper\",\"to\":\"BOB\",\"text\":\"psst\"}");
        Reply direct = bob.next("direct");
        assertThat(direct.string("from")).isEqualTo("alice");
        assertThat(direct.string("text")).isEqualTo("psst");
        bob.close();
        Reply left = alice.next("presence");
        assertThat(left.string("name")).isEqualTo("bob");
        assertThat(left.string("event")).isEqualTo("leave");
    }

    @Test
    void aNameIsUniqueAcrossNodesAndFreedWhenItsHolderLeaves() {
        Peer alice = a.connect();
        alice.login("alice");
        Peer impostor = b.connect();
        impostor.send("{\"type\":\"login\",\"name\":\"Alice\"}");
        assertThat(impostor.next("error").string("code")).isEqualTo("name_taken");
        alice.close();
        // Freed at once by the compare-and-delete (retry: the close is asynchronous).
        long deadline = System.nanoTime() + Peer.WAIT.toNanos();
        while (true) {
            Peer again = b.connect();
            again.send("{\"type\":\"login\",\"name\":\"alice\"}");
            Reply r = again.next("welcome".equals(firstType(again)) ? "welcome" : "error");
            if (r.type().equals("welcome")) {
                break;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
    }

    private static String firstType(Peer p) {
        p.connection.await("a reply", Peer.WAIT, c -> !c.received().isEmpty());
        return Reply.parse(p.connection.received().getFirst()).type();
    }

    @Test
    void aConcurrentLoginOfOneNameOnBothNodesHasExactlyOneWinner() throws Exception {
        for (int round = 0; round < 10; round++) {
            Peer onA = a.connect();
            Peer onB = b.connect();
            String name = "carol" + round;
            CountDownLatch go = new CountDownLatch(1);
            Thread t1 = Thread.ofVirtual().start(() -> { await(go); onA.send("{\"type\":\"login\",\"name\":\"" + name + "\"}"); });
            Thread t2 = Thread.ofVirtual().start(() -> { await(go); onB.send("{\"type\":\"login\",\"name\":\"" + name + "\"}"); });
            go.countDown();
            t1.join();
            t2.join();
            String ta = firstType(onA);
            String tb = firstType(onB);
            assertThat(List.of(ta, tb)).containsExactlyInAnyOrder("welcome", "error");
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void recoveryOnTheOtherNodeBothOutcomes() {
        Peer alice = a.connect();
        alice.login("alice");
        alice.join("r");
        Peer carol = a.connect();
        carol.login("carol");
        Reply joined = carol.join("r");
        String epoch = joined.string("epoch");
        for (int i = 1; i <= 3; i++) {
            alice.say("r", "m" + i);
        }
        assertThat(order(carol.awaitAll("message", 3), "r")).hasSize(3);
        carol.close();
        for (int i = 4; i <= 6; i++) {
            alice.say("r", "m" + i);
        }
        alice.awaitAll("message", 6);
        // carol comes back on the other node, with since and epoch: exactly what she missed.
        Peer carol2 = b.connect();
        carol2.login("carol2");
        carol2.send("{\"type\":\"join\",\"room\":\"r\",\"since\":3,\"epoch\":\"" + epoch + "\"}");
        Reply back = carol2.next("joined");
        assertThat(back.string("epoch")).isEqualTo(epoch);
        assertThat(back.json()).contains("\"recovered\":true");
        assertThat(back.list("history")).hasSize(3);
        assertThat(back.json()).contains("\"m4\"").contains("\"m6\"").doesNotContain("\"m3\"");
        // more than the history (50) missed: recovered false, and the latest 50.
        carol2.close();
        for (int i = 7; i <= 70; i++) {
            alice.say("r", "m" + i);
        }
        alice.awaitAll("message", 70);
        Peer carol3 = b.connect();
        carol3.login("carol3");
        carol3.send("{\"type\":\"join\",\"room\":\"r\",\"since\":3,\"epoch\":\"" + epoch + "\"}");
        Reply late = carol3.next("joined");
        assertThat(late.json()).contains("\"recovered\":false");
        assertThat(late.list("history")).hasSize(50);
    }

    @Test
    void kickOnlineAndTypingAcrossNodes() {
        Peer alice = a.connect();
        alice.login("alice");
        Peer bob = b.connect();
        bob.login("bob");
        alice.next("presence");
        assertThat(a.chat.online()).containsExactlyInAnyOrder("alice", "bob");
        bob.send("{\"type\":\"typing\",\"room\":\"lobby\"}");
        assertThat(alice.next("typing").string("name")).isEqualTo("bob");
        assertThat(a.chat.kick("bob", "bye")).isTrue();     // from node a's API, bob is on node b
        bob.connection.await("bob closed with 4001", Peer.WAIT, c -> c.closedWith() != null);
        assertThat(bob.connection.closedWith()).isEqualTo(dev.chatengine.engine.DisconnectReason.APPLICATION); // 4001 kicked
        assertThat(alice.next("presence").string("event")).isEqualTo("leave");
    }
}
