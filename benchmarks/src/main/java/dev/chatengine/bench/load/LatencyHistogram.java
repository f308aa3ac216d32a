package dev.chatengine.bench.load;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * The load generator's latency record: an HdrHistogram {@link Histogram} of nanosecond values with
 * three significant digits (0.1% precision) up to {@value #HIGHEST_MINUTES} minutes, plus what the
 * generator needs around it: values out of range are clamped rather than thrown (a negative value
 * is clock skew, a larger one a stuck run that is reported as such), and a one-word text form for a
 * child process to hand its record to the parent.
 *
 * <p>Not thread-safe: each I/O loop records into its own histogram, and the owner merges them with
 * {@link #add(LatencyHistogram)} once the loops have stopped, so recording stays a plain array
 * increment at a million deliveries per second.
 */
final class LatencyHistogram {

    private static final int HIGHEST_MINUTES = 10;
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(HIGHEST_MINUTES);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    /** Counts one value; negative values (clock skew) count as 0, values beyond the range as its top. */
    void record(long nanos) {
        histogram.recordValue(Math.clamp(nanos, 0, HIGHEST_NANOS));
    }

    /** Adds every count of {@code other} to this one. */
    void add(LatencyHistogram other) {
        histogram.add(other.histogram);
    }

    long count() {
        return histogram.getTotalCount();
    }

    /** The largest value recorded (to the histogram's precision); 0 when empty. */
    long maxNanos() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue();
    }

    /** The value at {@code percentile} (0-100], to the histogram's precision; 0 when empty. */
    long percentileNanos(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    /** The histogram as one word (base64 of HdrHistogram's compressed encoding), for a child process to send it. */
    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** Adds what {@link #encode()} produced. */
    void addEncoded(String encoded) {
        try {
            histogram.add(Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), HIGHEST_NANOS));
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    void clear() {
        histogram.reset();
    }
}
