package dev.chatengine.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000); // 1 us .. 100 ms, uniform
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.percentileNanos(50)).isCloseTo(50_000_000, within(50_000_000 * 0.016));
        assertThat((double) h.percentileNanos(99)).isCloseTo(99_000_000, within(99_000_000 * 0.016));
        assertThat(h.maxNanos()).isEqualTo(100_000_000);
        assertThat(h.percentileNanos(100)).isEqualTo(100_000_000);
    }

    @Test
    void smallValuesAreExactAndBucketsRoundTrip() {
        for (long v : new long[] {0, 1, 127, 128, 129, 1_000_000, Long.MAX_VALUE}) {
            int b = LatencyHistogram.bucketOf(v);
            assertThat(LatencyHistogram.bucketOf(LatencyHistogram.valueOf(b))).as("value %d", v).isEqualTo(b);
        }
        assertThat(LatencyHistogram.valueOf(LatencyHistogram.bucketOf(100))).isEqualTo(100);
    }

    @Test
    void encodedHistogramsMergeLikeAddedOnes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 1000; i++) {
            a.record(i * 7_919L);
            b.record(i * 104_729L);
        }
        LatencyHistogram viaText = new LatencyHistogram();
        viaText.addEncoded(a.encode());
        viaText.addEncoded(b.encode());
        a.add(b);
        assertThat(viaText.count()).isEqualTo(a.count());
        assertThat(viaText.maxNanos()).isEqualTo(a.maxNanos());
        assertThat(viaText.percentileNanos(90)).isEqualTo(a.percentileNanos(90));
    }
}
