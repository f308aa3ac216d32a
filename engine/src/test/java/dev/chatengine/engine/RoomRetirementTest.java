package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hub.removeRoomIfEmpty: rooms the hub forgets, and joins that never land in a forgotten room. */
class RoomRetirementTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private TestHub testHub;

    @AfterEach
    void shutDown() {
        if (testHub != null) {
            testHub.close();
        }
    }

    private TestHub hub(HubConfig config) {
        testHub = new TestHub(config, new RecordingHandler());
        return testHub;
    }

    @Test
    void anEmptyRoomIsForgottenAndItsNameMakesANewRoom() {
        Hub hub = hub(HubConfig.defaults()).hub();
        Peer a = testHub.connect();
        Room old = hub.room("r");
        assertThat(old.join(a.client())).isTrue();
        assertThat(hub.metrics().rooms()).isEqualTo(1);

        assertThat(hub.removeRoomIfEmpty("r")).as("a room with a member stays").isFalse();
        assertThat(old.isRetired()).isFalse();
        assertThat(old.leave(a.client())).isTrue();
        assertThat(hub.removeRoomIfEmpty("r")).isTrue();
        assertThat(hub.removeRoomIfEmpty("r")).as("already gone").isFalse();
        assertThat(hub.removeRoomIfEmpty("never")).isFalse();

        assertThat(old.isRetired()).isTrue();
        assertThat(hub.metrics().rooms()).isZero();
        assertThat(hub.findRoom("r")).isEmpty();
        assertThat(hub.rooms()).isEmpty();
        assertThatThrownBy(() -> old.join(a.client())).isInstanceOf(IllegalStateException.class).hasMessageContaining("retired");
        assertThatThrownBy(() -> old.atomically(tx -> tx.join(a.client()))).isInstanceOf(IllegalStateException.class);
        assertThat(old.leave(a.client())).isFalse();
        assertThat(old.toString()).contains("retired");

        assertThat(hub.join("r", a.client())).isTrue();
        Room fresh = hub.findRoom("r").orElseThrow();
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.members()).containsExactly(a.client());
        assertThat(a.client().rooms()).containsExactly(fresh);
        old.broadcast(ENCODER.text("to the old room")); // reaches nobody
        hub.broadcast("r", ENCODER.text("to the room of that name"));
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("to the room of that name");
    }

    @Test
    void hubAtomicallyRunsTheBodyOnceInTheLiveRoom() {
        Hub hub = hub(HubConfig.defaults()).hub();
        Peer a = testHub.connect();
        Room old = hub.room("r");
        assertThat(hub.removeRoomIfEmpty("r")).isTrue();

        AtomicInteger runs = new AtomicInteger();
        String result = hub.atomically("r", tx -> {
            runs.incrementAndGet();
            tx.join(a.client());
            tx.send(a.client(), ENCODER.text("welcome"));
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(runs).hasValue(1);
        Room fresh = hub.findRoom("r").orElseThrow();
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.members()).containsExactly(a.client());
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("welcome");
        Object nothing = hub.atomically("r", tx -> null);
        assertThat(nothing).as("a body may return null").isNull();
    }

    @Test
    void aRoomCanRetireItselfInsideItsOwnBodyAndStillDeliversWhatItAccepted() {
        Hub hub = hub(HubConfig.defaults()).hub();
        Peer a = testHub.connect();
        Peer watcher = testHub.connect();
        hub.join("r", a.client());
        boolean retired = hub.atomically("r", tx -> {
            tx.leave(a.client());
            tx.send(a.client(), ENCODER.text("left"));
            tx.send(watcher.client(), ENCODER.text("a left"));
            return hub.removeRoomIfEmpty("r");
        });
        assertThat(retired).isTrue();
        assertThat(hub.metrics().rooms()).isZero();
        assertThat(a.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("left");
        assertThat(watcher.connection().awaitReceived(1, Await.PATIENCE)).containsExactly("a left");
    }

    @Test
    void broadcastToARoomThatDoesNotExistCreatesNone() {
        Hub hub = hub(HubConfig.defaults()).hub();
        hub.broadcast("nowhere", ENCODER.text("x"));
        assertThat(hub.metrics().rooms()).isZero();
    }

    /**
     * Many threads join, broadcast, leave and retire the same two names at once. Each client belongs to
     * one thread, so after its join succeeds it stays a member until that thread makes it leave: meanwhile
     * it must be in the hub's room of that name (not in a retired orphan) and must receive a broadcast
     * sent to the name. When everybody has left, no room is left.
     */
    @Test
    void concurrentJoinsNeverLandInARetiredRoom() throws Exception {
        int threads = 4;
        int clientsPerThread = 6;
        int rounds = 1_000;
        List<String> names = List.of("a", "b");
        Hub hub = hub(HubConfig.builder().sendQueueCapacity(1_000_000).build()).hub();
        List<List<Peer>> owned = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Peer> peers = new ArrayList<>();
            for (int i = 0; i < clientsPerThread; i++) {
                peers.add(testHub.connect());
            }
            owned.add(peers);
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Expected> expected = new ConcurrentLinkedQueue<>();
        AtomicInteger retirements = new AtomicInteger();
        AtomicBoolean churning = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Peer> peers = owned.get(t);
            int seed = t;
            workers.add(Thread.ofPlatform().name("churn-" + t).start(() -> {
                await(start);
                SplittableRandom random = new SplittableRandom(seed);
                for (int round = 0; round < rounds; round++) {
                    Peer peer = peers.get(random.nextInt(peers.size()));
                    Client client = peer.client();
                    String name = names.get(random.nextInt(names.size()));
                    boolean joined = switch (random.nextInt(3)) {
                        case 0 -> hub.join(name, client);
                        case 1 -> hub.atomically(name, tx -> tx.join(client));
                        default -> joinByHand(hub, name, client);
                    };
                    if (joined) {
                        Room live = hub.findRoom(name).orElse(null);
                        if (live == null || live.isRetired() || !live.members().contains(client)
                                || !client.rooms().contains(live)) {
                            failures.add("round " + round + ": " + client + " joined " + name + " but the hub's room is " + live);
                        }
                        String marker = "m-" + seed + "-" + round;
                        hub.broadcast(name, ENCODER.text(marker));
                        expected.add(new Expected(peer, marker));
                    }
                    // Always leave again, so that the rooms empty (and get retired) all the time while others join.
                    for (Room room : client.rooms()) {
                        if (room.name().equals(name)) {
                            room.leave(client);
                        }
                    }
                    if (hub.removeRoomIfEmpty(name)) {
                        retirements.incrementAndGet();
                    }
                }
            }));
        }
        Thread retirer = Thread.ofPlatform().name("retirer").start(() -> {
            await(start);
            while (churning.get()) {
                for (String name : names) {
                    if (hub.removeRoomIfEmpty(name)) {
                        retirements.incrementAndGet();
                    }
                }
                Thread.onSpinWait();
            }
        });
        start.countDown();
        for (Thread worker : workers) {
            worker.join(Await.PATIENCE);
            assertThat(worker.isAlive()).as(worker.getName() + " finished").isFalse();
        }
        churning.set(false);
        retirer.join(Await.PATIENCE);

        assertThat(failures).isEmpty();
        assertThat(retirements.get()).as("rooms were retired during the churn").isPositive();
        for (Expected e : expected) {
            Await.until(e.peer() + " received " + e.marker(), () -> e.peer().received().contains(e.marker()));
        }
        assertThat(hub.metrics().dropped(DisconnectReason.SLOW_CONSUMER)).isZero();

        // Everybody leaves: then nothing is left in the hub.
        for (List<Peer> peers : owned) {
            for (Peer peer : peers) {
                Set<String> left = new HashSet<>();
                for (Room room : peer.client().rooms()) {
                    assertThat(room.isRetired()).as("a member's room").isFalse();
                    room.leave(peer.client());
                    left.add(room.name());
                }
                left.forEach(hub::removeRoomIfEmpty);
            }
        }
        assertThat(hub.metrics().rooms()).isZero();
    }

    /** What an application that checks for itself does: join through Room.atomically unless the room is retired. */
    private static boolean joinByHand(Hub hub, String name, Client client) {
        while (true) {
            Room room = hub.room(name);
            Boolean joined = room.atomically(tx -> room.isRetired() ? null : tx.join(client));
            if (joined != null) {
                return joined;
            }
        }
    }

    private record Expected(Peer peer, String marker) {
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
