package org.jnvmet.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 0; v < 256; v++) {
            h.record(v);
        }
        assertEquals(256, h.count());
        assertEquals(127, h.percentileNanos(50));
        assertEquals(255, h.percentileNanos(100));
        assertEquals(127.5, h.meanNanos(), 1e-9);
        assertEquals(0, h.minNanos());
    }

    @Test
    void bucketsAreContiguousAndCoverTheirValues() {
        int previous = -1;
        for (long v = 0; v < (1L << 22); v += 1 + v / 512) {
            int i = LatencyHistogram.index(v);
            assertTrue(i >= previous, "index never decreases");
            assertTrue(LatencyHistogram.highestEquivalent(i) >= v, "bucket " + i + " holds " + v);
            assertTrue(i == 0 || LatencyHistogram.highestEquivalent(i - 1) < v, "value " + v + " in the lowest bucket");
            previous = i;
        }
        assertTrue(LatencyHistogram.index(Long.MAX_VALUE >>> 21) < LatencyHistogram.BUCKETS);
    }

    @Test
    void percentilesWithinOnePercentOfExact() {
        SplittableRandom r = new SplittableRandom(42);
        LatencyHistogram h = new LatencyHistogram();
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            // log-normal-ish latencies from 5 us to a few ms
            values[i] = (long) (5_000 * Math.exp(r.nextDouble() * 6));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long got = h.percentileNanos(p);
            assertTrue(got >= exact && got <= exact * 1.01, "p" + p + ": " + got + " vs exact " + exact);
        }
        assertEquals(values[values.length - 1], h.maxNanos());
        assertEquals(Arrays.stream(values).average().orElseThrow(), h.meanNanos(), 1e-6);
    }

    @Test
    void hugeAndNegativeValuesAreClampedNotLost() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(2, h.count());
        assertEquals(0, h.percentileNanos(50));
        assertTrue(h.percentileNanos(100) > 1L << 40);
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.percentileNanos(99));
    }
}
