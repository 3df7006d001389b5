package org.jnvmet.accounting.internal;

import java.util.concurrent.atomic.LongAdder;

import org.jnvmet.accounting.LatencyHistogram;
import org.jnvmet.spi.accounting.DeviceCounters.Op;

/** Live log2 latency histogram of one operation kind; one striped counter per bucket. */
final class LatencyRecorder {
    private static final long NANOS_PER_MICRO = 1_000L;

    private final LongAdder[] buckets = new LongAdder[LatencyHistogram.BUCKETS];

    LatencyRecorder() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long durationNanos) {
        buckets[LatencyHistogram.bucketOf(durationNanos / NANOS_PER_MICRO)].increment();
    }

    LatencyHistogram snapshot(Op op) {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return new LatencyHistogram(op, counts);
    }

    void reset() {
        for (LongAdder b : buckets) {
            b.reset();
        }
    }
}
