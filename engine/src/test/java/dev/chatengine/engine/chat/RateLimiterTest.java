package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    @Test
    void startsFullAllowsABurstThenTheRate() {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        for (int i = 0; i < 40; i++) {
            assertThat(limiter.tryAcquire(0)).as("request %d", i).isTrue();
        }
        assertThat(limiter.tryAcquire(0)).isFalse();
        assertThat(limiter.tryAcquire(49)).isFalse(); // 0.98 of a token
        assertThat(limiter.tryAcquire(50)).isTrue(); // one token every 50 ms at 20 a second
        assertThat(limiter.tryAcquire(50)).isFalse();
        // Over a long run it allows 20 a second, no more.
        int allowed = 0;
        for (long t = 51; t <= 10_050; t++) {
            if (limiter.tryAcquire(t)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(200);
    }

    @Test
    void refillsNoFurtherThanTheBurst() {
        RateLimiter limiter = new RateLimiter(1, 2, 0);
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(0)).isFalse();
        assertThat(limiter.tryAcquire(1_000_000)).isTrue();
        assertThat(limiter.tryAcquire(1_000_000)).isTrue();
        assertThat(limiter.tryAcquire(1_000_000)).isFalse();
    }

    @Test
    void aClockThatStepsBackAddsNothing() {
        RateLimiter limiter = new RateLimiter(1, 1, 10_000);
        assertThat(limiter.tryAcquire(10_000)).isTrue();
        assertThat(limiter.tryAcquire(0)).isFalse();
        assertThat(limiter.tryAcquire(10_999)).isFalse();
        assertThat(limiter.tryAcquire(11_000)).isTrue();
    }
}
