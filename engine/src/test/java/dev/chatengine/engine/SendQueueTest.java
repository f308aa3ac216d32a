package dev.chatengine.engine;

import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.engine.transport.EncodedMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendQueueTest {

    private static EncodedMessage msg(String text) {
        return IdentityEncoder.INSTANCE.text(text);
    }

    private static List<String> drainAll(SendQueue queue) {
        EncodedMessage[] batch = new EncodedMessage[4];
        List<String> out = new ArrayList<>();
        int n;
        while ((n = queue.drain(batch, batch.length)) > 0) {
            for (int i = 0; i < n; i++) {
                out.add(IdentityEncoder.decode(batch[i]));
            }
        }
        return out;
    }

    @Test
    void holdsExactlyItsCapacityEvenWhenNotAPowerOfTwo() {
        SendQueue queue = new SendQueue(5); // ring of 8, bound of 5
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
        SendQueue queue = new SendQueue(1);
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer(msg("m" + i))).isTrue();
            assertThat(queue.offer(msg("x"))).isFalse();
            assertThat(drainAll(queue)).containsExactly("m" + i);
        }
    }

    @Test
    void wrapsAroundTheRingManyTimesInOrder() {
        SendQueue queue = new SendQueue(3);
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
        SendQueue queue = new SendQueue(4);
        for (int i = 0; i < 4; i++) {
            queue.offer(msg("m" + i));
        }
        EncodedMessage[] batch = new EncodedMessage[4];
        assertThat(queue.drain(batch, 2)).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.offer(msg("m4"))).isTrue();
        assertThat(queue.offer(msg("m5"))).isTrue();
        assertThat(queue.offer(msg("m6"))).isFalse();
        assertThat(drainAll(queue)).containsExactly("m2", "m3", "m4", "m5");
    }

    @Test
    void rejectsBadCapacity() {
        assertThatThrownBy(() -> new SendQueue(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyProducersOneConsumerLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        SendQueue queue = new SendQueue(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    EncodedMessage m = msg(producer + ":" + i);
                    while (!queue.offer(m)) {
                        Thread.yield(); // full: the consumer will make room
                    }
                }
            }));
        }
        start.countDown();
        int[] next = new int[producers];
        EncodedMessage[] batch = new EncodedMessage[16];
        int total = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (total < producers * perProducer) {
            assertThat(System.nanoTime() - deadline).as("consumer deadline").isNegative();
            int n = queue.drain(batch, batch.length);
            for (int i = 0; i < n; i++) {
                String[] parts = IdentityEncoder.decode(batch[i]).split(":");
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
