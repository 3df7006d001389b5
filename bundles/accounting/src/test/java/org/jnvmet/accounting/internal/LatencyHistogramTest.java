package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.jnvmet.accounting.LatencyHistogram;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreLog2Microseconds() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(1, LatencyHistogram.bucketOf(1));
        assertEquals(2, LatencyHistogram.bucketOf(2));
        assertEquals(2, LatencyHistogram.bucketOf(3));
        assertEquals(3, LatencyHistogram.bucketOf(4));
        assertEquals(7, LatencyHistogram.bucketOf(100)); // [64, 128)
        assertEquals(24, LatencyHistogram.bucketOf((1L << 24) - 1));
        assertEquals(25, LatencyHistogram.bucketOf(1L << 24));
        assertEquals(25, LatencyHistogram.bucketOf(Long.MAX_VALUE));
        for (int b = 1; b < LatencyHistogram.BUCKETS - 1; b++) {
            assertEquals(b, LatencyHistogram.bucketOf(LatencyHistogram.lowerBoundMicros(b)));
            assertEquals(b, LatencyHistogram.bucketOf(LatencyHistogram.upperBoundMicros(b) - 1));
        }
    }

    /** 900 reads of 100 us, 90 of 1 ms, 9 of 10 ms and one of 100 ms, measured through the device. */
    @Test
    void percentilesOfKnownLatencies() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        record(dev, clock, 900, 100);
        record(dev, clock, 90, 1_000);
        record(dev, clock, 9, 10_000);
        record(dev, clock, 1, 100_000);
        LatencyHistogram h = accounting.histogram("d", Op.READ).orElseThrow();

        assertEquals(1000, h.total());
        assertEquals(900, h.count(LatencyHistogram.bucketOf(100)));
        assertBetween(64, 128, h.p50()); // true p50: 100 us
        assertEquals(64 + 64 * 500.0 / 900, h.p50(), 1e-9, "interpolated inside [64, 128)");
        assertBetween(512, 1024, h.p99()); // true p99: 1000 us
        assertBetween(8192, 16384, h.p999()); // true p99.9: 10000 us
        assertBetween(65536, 131072, h.percentileMicros(100)); // the single 100 ms read
        assertEquals(0, accounting.histogram("d", Op.WRITE).orElseThrow().total());
        assertEquals(0, accounting.histogram("d", Op.WRITE).orElseThrow().p99(), "empty histogram");
        assertThrows(IllegalArgumentException.class, () -> h.percentileMicros(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentileMicros(100.1));
    }

    @Test
    void latenciesBeyondTheRangeLandInTheOverflowBucket() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        long start = dev.start(Op.FLUSH);
        clock.advance(30, TimeUnit.SECONDS);
        dev.end(Op.FLUSH, 0, start, false, null);
        LatencyHistogram h = accounting.histogram("d", Op.FLUSH).orElseThrow();
        assertEquals(1, h.count(LatencyHistogram.BUCKETS - 1));
        assertEquals(LatencyHistogram.MAX_RESOLVED_MICROS, h.p50());
    }

    private static void record(DeviceCounters dev, ManualClock clock, int n, long micros) {
        for (int i = 0; i < n; i++) {
            long start = dev.start(Op.READ);
            clock.advance(micros, TimeUnit.MICROSECONDS);
            dev.end(Op.READ, 8, start, false, null);
        }
    }

    private static void assertBetween(double lo, double hi, double actual) {
        assertTrue(actual >= lo && actual <= hi, actual + " not in [" + lo + ", " + hi + "]");
    }
}
