package org.jnvmet.benchmark;

/**
 * A log-linear latency histogram in nanoseconds, in the manner of HdrHistogram: values below 2^SUB_BITS are
 * counted exactly, larger ones in 2^SUB_BITS linear sub-buckets per power of two (relative error below 1/128).
 * Recording is a few shifts and one array increment: no allocation, no synchronization; a histogram belongs to
 * one thread while it records.
 */
final class LatencyHistogram {
    static final int SUB_BITS = 7;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Largest exponent kept: values at or above 2^(MAX_EXP+1) ns (about 73 minutes) are clamped. */
    private static final int MAX_EXP = 41;
    private static final long MAX_VALUE = (1L << (MAX_EXP + 1)) - 1;
    static final int BUCKETS = (MAX_EXP - SUB_BITS) * SUB_COUNT + 2 * SUB_COUNT;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    void record(long nanos) {
        long v = nanos < 0 ? 0 : Math.min(nanos, MAX_VALUE);
        counts[index(v)]++;
        total++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < SUB_COUNT) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int shift = exp - SUB_BITS;
        return shift * SUB_COUNT + (int) (v >>> shift);
    }

    /** The largest value that lands in bucket {@code index} (HdrHistogram's "highest equivalent value"). */
    static long highestEquivalent(int index) {
        if (index < 2 * SUB_COUNT) {
            return index;
        }
        int shift = index / SUB_COUNT - 1;
        long top = index - (long) shift * SUB_COUNT;
        return ((top + 1) << shift) - 1;
    }

    long count() {
        return total;
    }

    double meanNanos() {
        return total == 0 ? Double.NaN : (double) sum / total;
    }

    long minNanos() {
        return total == 0 ? 0 : min;
    }

    long maxNanos() {
        return max;
    }

    /** The value below or at which {@code percentile} percent of the recorded values lie. */
    long percentileNanos(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        rank = Math.max(1, Math.min(total, rank));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestEquivalent(i), max);
            }
        }
        return max;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }
}
