package org.jnvmet.accounting;

import java.util.Arrays;

import org.jnvmet.spi.accounting.DeviceCounters.Op;

/**
 * Completion latencies of one operation kind in log2 microsecond buckets: bucket 0 holds [0, 1) us, bucket b in
 * 1..24 holds [2^(b-1), 2^b) us, and bucket 25 everything from 2^24 us (about 16.8 s) on.
 */
public final class LatencyHistogram {
    /** Upper end of the finest-resolved range, 2^24 microseconds. */
    public static final long MAX_RESOLVED_MICROS = 1L << 24;
    public static final int BUCKETS = 26;
    private static final int OVERFLOW_BUCKET = BUCKETS - 1;

    private final Op op;
    private final long[] counts;

    public LatencyHistogram(Op op, long[] counts) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + counts.length);
        }
        this.op = op;
        this.counts = counts.clone();
    }

    /** The bucket a latency falls into. */
    public static int bucketOf(long micros) {
        if (micros <= 0) {
            return 0;
        }
        return Math.min(OVERFLOW_BUCKET, 64 - Long.numberOfLeadingZeros(micros));
    }

    /** Smallest latency of a bucket, in microseconds. */
    public static long lowerBoundMicros(int bucket) {
        return bucket == 0 ? 0 : 1L << (bucket - 1);
    }

    /** Exclusive upper bound of a bucket in microseconds; {@link Long#MAX_VALUE} for the overflow bucket. */
    public static long upperBoundMicros(int bucket) {
        return bucket == OVERFLOW_BUCKET ? Long.MAX_VALUE : 1L << bucket;
    }

    public Op op() {
        return op;
    }

    public long[] counts() {
        return counts.clone();
    }

    public long count(int bucket) {
        return counts[bucket];
    }

    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * Estimates a percentile (e.g. 99.9) in microseconds by linear interpolation inside the bucket that holds the
     * requested rank; the overflow bucket reports its lower bound. Returns 0 when nothing was recorded.
     */
    public double percentileMicros(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percent);
        }
        long total = total();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
        long below = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long c = counts[b];
            if (c > 0 && below + c >= rank) {
                long lo = lowerBoundMicros(b);
                if (b == OVERFLOW_BUCKET) {
                    return lo;
                }
                double fraction = (double) (rank - below) / c;
                return lo + fraction * (upperBoundMicros(b) - lo);
            }
            below += c;
        }
        throw new AssertionError("rank beyond total");
    }

    public double p50() {
        return percentileMicros(50);
    }

    public double p99() {
        return percentileMicros(99);
    }

    public double p999() {
        return percentileMicros(99.9);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && h.op == op && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * op.hashCode() + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LatencyHistogram[" + op + ", n=" + total() + ", p50=" + p50() + "us, p99=" + p99() + "us, p99.9="
                + p999() + "us]";
    }
}
