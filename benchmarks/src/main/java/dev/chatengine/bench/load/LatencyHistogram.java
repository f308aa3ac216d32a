package dev.chatengine.bench.load;

import java.util.Arrays;

/**
 * A log-linear histogram of non-negative nanosecond values, in the manner of HdrHistogram: values
 * below {@value #SUB_BUCKETS} ns are counted exactly, larger ones in buckets whose width is under
 * 1/{@value #HALF} of their value (better than 1.6% precision), up to 2^62 ns. About 3,700 counters,
 * 29 KiB.
 *
 * <p>Not thread-safe: each I/O loop records into its own histogram, and the owner merges them with
 * {@link #add(LatencyHistogram)} once the loops have stopped. That keeps recording a plain array
 * increment, which matters at a million deliveries per second.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    /** Values below this are their own bucket. */
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int HALF = SUB_BUCKETS / 2;
    /** Enough buckets for every non-negative long: exponents 1..(63 - SUB_BITS + 1). */
    private static final int BUCKETS = SUB_BUCKETS + (64 - SUB_BITS) * HALF;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /** Counts one value; negative values (clock skew) count as 0. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[bucketOf(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    /** Adds every count of {@code other} to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** Adds {@code count} values in bucket {@code bucket} (from another process's {@link #encode()}). */
    void addBucket(int bucket, long count, long maxNanos) {
        counts[bucket] += count;
        total += count;
        max = Math.max(max, maxNanos);
    }

    long count() {
        return total;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    long maxNanos() {
        return max;
    }

    /**
     * The value at {@code percentile} (0-100]: the midpoint of the bucket that holds it, but never
     * above {@link #maxNanos()}; 0 when empty.
     */
    long percentileNanos(double percentile) {
        if (total == 0) {
            return 0;
        }
        long target = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= target) {
                return Math.min(valueOf(i), max);
            }
        }
        return max;
    }

    /** The non-empty buckets as {@code index:count,...} then {@code ;max}, for a child process to send its histogram. */
    String encode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(i).append(':').append(counts[i]);
            }
        }
        return sb.append(';').append(max).toString();
    }

    /** Adds what {@link #encode()} produced. */
    void addEncoded(String encoded) {
        int semi = encoded.lastIndexOf(';');
        long maxNanos = Long.parseLong(encoded.substring(semi + 1));
        String body = encoded.substring(0, semi);
        if (!body.isEmpty()) {
            for (String pair : body.split(",")) {
                int colon = pair.indexOf(':');
                addBucket(Integer.parseInt(pair, 0, colon, 10), Long.parseLong(pair, colon + 1, pair.length(), 10), 0);
            }
        }
        max = Math.max(max, maxNanos);
    }

    void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    static int bucketOf(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int exponent = (64 - Long.numberOfLeadingZeros(v)) - SUB_BITS; // >= 1
        long mantissa = v >>> exponent; // in [HALF, SUB_BUCKETS)
        return SUB_BUCKETS + (exponent - 1) * HALF + (int) (mantissa - HALF);
    }

    /** The midpoint of bucket {@code i}. */
    static long valueOf(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int j = i - SUB_BUCKETS;
        int exponent = j / HALF + 1;
        long mantissa = j % HALF + HALF;
        return (mantissa << exponent) + ((1L << exponent) >>> 1);
    }
}
