package dev.chatengine.engine;

import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendQueueTest {

    private static final HubMetrics METRICS = new HubMetrics(null, Long.MAX_VALUE);

    private static Outgoing msg(String text) {
        return new Outgoing(IdentityEncoder.INSTANCE.text(text), 1, METRICS);
    }

    private static List<String> drainAll(SendQueue queue) {
        Outgoing[] batch = new Outgoing[4];
        List<String> out = new ArrayList<>();
        int n;
        while ((n = queue.drain(batch, batch.length)) > 0) {
            for (int i = 0; i < n; i++) {
                out.add(IdentityEncoder.decode(batch[i].message));
            }
        }
        return out;
    }

    @Test
    void holdsExactlyItsCapacityEvenWhenNotAPowerOfTwo() {
        SendQueue queue = new SendQueue(5, Long.MAX_VALUE); // ring of 8, bound of 5
        for (int i = 0; i < 5; i++) {
            assertThat(queue.offer(msg("m" + i))).isTrue();
        }
        assertThat(queue.offer(msg("over"))).isFalse();
        assertThat(queue.size()).isEqualTo(5);
        assertThat(drainAll(queue)).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.size()).isZero();
    }

    @Test
    void capacityOneAlternates() {
        SendQueue queue = new SendQueue(1, Long.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer(msg("m" + i))).isTrue();
            assertThat(queue.offer(msg("x"))).isFalse();
            assertThat(drainAll(queue)).containsExactly("m" + i);
        }
    }

    @Test
    void wrapsAroundTheRingManyTimesInOrder() {
        SendQueue queue = new SendQueue(3, Long.MAX_VALUE);
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 3; i++) {
                String text = round + "." + i;
                expected.add(text);
                assertThat(queue.offer(msg(text))).isTrue();
            }
            got.addAll(drainAll(queue));
        }
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void drainTakesAtMostMaxAndFreesSlotsForProducers() {
        SendQueue queue = new SendQueue(4, Long.MAX_VALUE);
        for (int i = 0; i < 4; i++) {
            queue.offer(msg("m" + i));
        }
        Outgoing[] batch = new Outgoing[4];
        assertThat(queue.drain(batch, 2)).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.offer(msg("m4"))).isTrue();
        assertThat(queue.offer(msg("m5"))).isTrue();
        assertThat(queue.offer(msg("m6"))).isFalse();
        assertThat(drainAll(queue)).containsExactly("m2", "m3", "m4", "m5");
    }

    @Test
    void isBoundedInBytesAsWellAsMessages() {
        SendQueue queue = new SendQueue(100, 10); // IdentityEncoder: one byte per character
        assertThat(queue.offer(msg("aaaa"))).isTrue();
        assertThat(queue.offer(msg("bbbb"))).isTrue();
        assertThat(queue.bytes()).isEqualTo(8);
        assertThat(queue.offer(msg("ccc"))).as("8 + 3 > 10").isFalse();
        assertThat(queue.offer(msg("cc"))).as("8 + 2 = 10").isTrue();
        assertThat(queue.bytes()).isEqualTo(10);
        assertThat(drainAll(queue)).containsExactly("aaaa", "bbbb", "cc");
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void aMessageLargerThanTheByteBoundGoesOnlyIntoAnEmptyQueue() {
        SendQueue queue = new SendQueue(100, 4);
        assertThat(queue.offer(msg("big message"))).isTrue();
        assertThat(queue.offer(msg("x"))).isFalse();
        assertThat(drainAll(queue)).containsExactly("big message");
        assertThat(queue.offer(msg("x"))).isTrue();
    }

    @Test
    void aSharedMessageCountsOnceInTheHubAndInFullInEachQueue() {
        HubMetrics metrics = new HubMetrics(null, Long.MAX_VALUE);
        SendQueue a = new SendQueue(10, 100);
        SendQueue b = new SendQueue(10, 100);
        Outgoing shared = new Outgoing(IdentityEncoder.INSTANCE.text("0123456789"), 2, metrics);
        assertThat(a.offer(shared)).isTrue();
        assertThat(b.offer(shared)).isTrue();
        assertThat(metrics.queuedBytes()).isEqualTo(10);
        assertThat(a.bytes()).isEqualTo(10);
        assertThat(b.bytes()).isEqualTo(10);

        Outgoing[] batch = new Outgoing[4];
        assertThat(a.drain(batch, 4)).isEqualTo(1);
        batch[0].release();
        assertThat(metrics.queuedBytes()).as("still in b").isEqualTo(10);
        b.discard(batch);
        assertThat(metrics.queuedBytes()).isZero();
    }

    @Test
    void rejectsBadCapacity() {
        assertThatThrownBy(() -> new SendQueue(0, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyProducersOneConsumerLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        SendQueue queue = new SendQueue(64, Long.MAX_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    Outgoing m = msg(producer + ":" + i);
                    while (!queue.offer(m)) {
                        Thread.yield(); // full: the consumer will make room
                    }
                }
            }));
        }
        start.countDown();
        int[] next = new int[producers];
        Outgoing[] batch = new Outgoing[16];
        int total = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (total < producers * perProducer) {
            assertThat(System.nanoTime() - deadline).as("consumer deadline").isNegative();
            int n = queue.drain(batch, batch.length);
            for (int i = 0; i < n; i++) {
                String[] parts = IdentityEncoder.decode(batch[i].message).split(":");
                int producer = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).as("order of producer " + producer).isEqualTo(next[producer]);
                next[producer]++;
            }
            total += n;
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(next).containsOnly(perProducer);
        assertThat(queue.isEmpty()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
