package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.engine.testing.LiveThreads;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write pump's thread exists only while there is something to write (issue 12): it starts on the
 * first message, a due ping or a close, and ends once the queue is drained, and no wake-up is lost in
 * the window where it is ending. In memory; the socket tests (transport-jdk's OneWriterOverSocketTest,
 * CloseOrderingOverSocketTest) cover pongs and close frames over the same single writer.
 */
class WritePumpOnDemandTest {

    private static final IdentityEncoder ENCODER = IdentityEncoder.INSTANCE;

    private final RecordingHandler handler = new RecordingHandler();
    /** Platform threads: senders that are not virtual threads race the pump on another core. */
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private TestHub testHub;

    @AfterEach
    void closeHub() {
        pool.shutdownNow();
        if (testHub != null) {
            testHub.close();
        }
    }

    @Test
    void thePumpStartsOnTheFirstMessageAndEndsOnceTheQueueIsDrained() {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer peer = testHub.connect();
        WritePump pump = peer.client().pump();
        assertThat(pump.state()).as("never started").isEqualTo(WritePump.NEW);
        assertThat(peer.connection().writerThreads()).isEmpty();

        for (int i = 0; i < 3; i++) {
            peer.client().send(ENCODER.text("m" + i));
        }
        assertThat(peer.connection().awaitReceived(3, Await.PATIENCE)).containsExactly("m0", "m1", "m2");
        Await.until("the pump went idle", () -> pump.state() == WritePump.IDLE);
        Await.until("its thread ended", () -> exactly("chat-write-" + peer.client().id()).isEmpty());
        assertThat(peer.connection().writerThreads()).containsExactly("chat-write-" + peer.client().id());

        // And again: an idle pump starts anew.
        peer.client().send(ENCODER.text("again"));
        assertThat(peer.connection().awaitReceived(4, Await.PATIENCE)).endsWith("again");
        Await.until("idle again", () -> pump.state() == WritePump.IDLE);
        assertThat(peer.client().isOpen()).isTrue();
    }

    @Test
    void manyConcurrentSendersLoseNothingAndKeepEachSendersOrder() throws Exception {
        int senders = 8;
        int perSender = 5_000;
        // Room for everything, so that no sender is refused: this checks wake-ups, not the bound.
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(senders * perSender)
                .sendQueueBytes(64L << 20).build(), handler);
        Peer peer = testHub.connect();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(pool.submit(() -> {
                await(go);
                for (int i = 0; i < perSender; i++) {
                    assertThat(peer.client().send(ENCODER.text(sender + ":" + i))).isTrue();
                    if (ThreadLocalRandom.current().nextInt(64) == 0) {
                        Thread.yield(); // let the pump drain and head for idle now and then
                    }
                }
            }));
        }
        go.countDown();
        for (Future<?> thread : threads) {
            thread.get(); // rethrows a sender's failure
        }
        List<String> received = peer.connection().awaitReceived(senders * perSender, Await.PATIENCE);
        assertThat(received).hasSize(senders * perSender);
        Map<Integer, Integer> next = new HashMap<>();
        for (String text : received) {
            String[] parts = text.split(":");
            int sender = Integer.parseInt(parts[0]);
            int index = Integer.parseInt(parts[1]);
            assertThat(index).as("sender %d's order", sender).isEqualTo(next.getOrDefault(sender, 0));
            next.put(sender, index + 1);
        }
        assertThat(peer.client().isOpen()).isTrue();
        assertThat(testHub.hub().metrics().droppedTotal()).isZero();
    }

    /**
     * Thousands of rounds of "send, wait until written, send again at once": each send lands while the
     * pump is draining, yielding or ending, and a lost wake-up would leave a message unwritten. Several
     * clients at once, with a random pause before each send, to vary where in that window it lands.
     */
    @Test
    void aSendWhileThePumpIsEndingIsNeverLost() throws Exception {
        int clients = 4;
        int rounds = 3_000;
        testHub = new TestHub(HubConfig.defaults(), handler);
        List<Peer> peers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            peers.add(testHub.connect());
        }
        List<Future<?>> threads = new ArrayList<>();
        for (Peer peer : peers) {
            threads.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int sent = 0;
                for (int round = 0; round < rounds; round++) {
                    int burst = 1 + random.nextInt(2);
                    for (int b = 0; b < burst; b++) {
                        peer.client().send(ENCODER.text("r" + sent++));
                    }
                    int expected = sent;
                    // A lost wake-up fails here: nothing would ever write the message.
                    peer.connection().await("round " + round + " written", Duration.ofSeconds(10),
                            c -> c.received().size() >= expected);
                    int spin = random.nextInt(4);
                    if (spin == 1) {
                        Thread.onSpinWait();
                    } else if (spin == 2) {
                        Thread.yield();
                    } else if (spin == 3) {
                        long until = System.nanoTime() + random.nextInt(20_000);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }));
        }
        for (Future<?> thread : threads) {
            thread.get(); // rethrows a round that timed out
        }
        for (Peer peer : peers) {
            List<String> received = peer.received();
            for (int i = 0; i < received.size(); i++) {
                assertThat(received.get(i)).isEqualTo("r" + i);
            }
            Await.until("idle at the end", () -> peer.client().pump().state() == WritePump.IDLE);
        }
    }

    @Test
    void aDuePingStartsAnIdlePump() {
        testHub = new TestHub(TestHub.fastConfig().build(), handler); // ping every 200 ms, pong wait 400 ms
        Peer peer = testHub.connect();
        WritePump pump = peer.client().pump();
        peer.connection().await("two pings", Await.PATIENCE, c -> c.pings() >= 2);
        assertThat(peer.connection().received()).isEmpty();
        assertThat(peer.connection().writerThreads()).containsExactly("chat-write-" + peer.client().id());
        // Answered: the pongs keep the client alive past the pong wait, and the pump goes idle in between.
        Await.until("idle between pings", () -> pump.state() == WritePump.IDLE);
        assertThat(peer.client().isOpen()).isTrue();
        assertThat(testHub.hub().metrics().droppedTotal()).isZero();
    }

    @Test
    void closingANeverStartedClientWritesItsCloseAndServeReturns() throws Exception {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer peer = testHub.connect();
        assertThat(peer.client().pump().state()).isEqualTo(WritePump.NEW);

        peer.client().close(4000, "replaced");

        peer.readPump().join(Await.PATIENCE.toMillis()); // serve returns only after the pump's await()
        assertThat(peer.readPump().isAlive()).isFalse();
        assertThat(peer.client().pump().state()).isEqualTo(WritePump.DONE);
        assertThat(peer.connection().closedWith()).isEqualTo(DisconnectReason.APPLICATION);
        assertThat(peer.connection().applicationClose()).isEqualTo(new ApplicationClose(4000, "replaced"));
        assertThat(peer.connection().writerThreads()).containsExactly("chat-write-" + peer.client().id());
        assertThat(handler.closed(peer.client()).reason()).isEqualTo(DisconnectReason.APPLICATION);
    }

    @Test
    void closingAnIdleClientWritesWhatWasQueuedThenItsClose() throws Exception {
        testHub = new TestHub(HubConfig.defaults(), handler);
        Peer peer = testHub.connect();
        peer.client().send(ENCODER.text("before"));
        peer.connection().awaitReceived(1, Await.PATIENCE);
        Await.until("idle", () -> peer.client().pump().state() == WritePump.IDLE);

        peer.client().send(ENCODER.text("last"));
        peer.client().close(DisconnectReason.SHUTDOWN);

        peer.readPump().join(Await.PATIENCE.toMillis());
        assertThat(peer.readPump().isAlive()).isFalse();
        assertThat(peer.client().pump().state()).isEqualTo(WritePump.DONE);
        assertThat(peer.connection().received()).containsExactly("before", "last");
        assertThat(peer.connection().closedWith()).isEqualTo(DisconnectReason.SHUTDOWN);
        assertThat(peer.connection().isAborted()).isFalse();
        // A closed pump stays DONE: a late wake-up starts nothing.
        peer.client().pump().wake();
        assertThat(peer.client().pump().state()).isEqualTo(WritePump.DONE);
    }

    @Test
    void closingAClientWhosePumpNeverRanStillEndsAfterShutdown() {
        testHub = new TestHub(HubConfig.defaults(), handler);
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            peers.add(testHub.connect());
        }
        testHub.hub().shutdown(Duration.ofSeconds(5));
        for (Peer peer : peers) {
            assertThat(peer.client().pump().state()).isEqualTo(WritePump.DONE);
            assertThat(peer.connection().closedWith()).isEqualTo(DisconnectReason.SHUTDOWN);
        }
        Await.until("no write thread left", () -> LiveThreads.named("chat-write-").isEmpty());
    }

    private static List<String> exactly(String name) {
        return LiveThreads.named(name).stream().filter(name::equals).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
