package dev.chatengine.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheHistogramsPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000); // 1 us .. 100 ms, uniform
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.percentileNanos(50)).isCloseTo(50_000_000, within(50_000_000 * 0.001));
        assertThat((double) h.percentileNanos(99)).isCloseTo(99_000_000, within(99_000_000 * 0.001));
        assertThat((double) h.maxNanos()).isCloseTo(100_000_000, within(100_000_000 * 0.001));
    }

    @Test
    void outOfRangeValuesAreClampedNotThrown() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.percentileNanos(50)).isZero();
        assertThat(h.maxNanos()).isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MINUTES.toNanos(10) - 1_000_000_000L);
    }

    @Test
    void anEmptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileNanos(99)).isZero();
        assertThat(h.maxNanos()).isZero();
    }

    @Test
    void encodingRoundTripsAndMerges() {
        LatencyHistogram child = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            child.record(v * 1_000_000);
        }
        LatencyHistogram parent = new LatencyHistogram();
        parent.record(5);
        parent.addEncoded(child.encode());
        assertThat(parent.count()).isEqualTo(1001);
        assertThat((double) parent.maxNanos()).isCloseTo(1e9, within(1e9 * 0.001));
        assertThat(parent.encode()).doesNotContain(" ");
    }
}
