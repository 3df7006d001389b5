package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jnvmet.accounting.DiskStats;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Test;

/** Field 10 (io_ticks) and field 11 (weighted time) of /proc/diskstats. */
class IoTicksTest {

    /** A [0,10] and B [5,20] overlap, then 10 ms idle, then C [30,35]: busy 25 ms, summed I/O time 30 ms. */
    @Test
    void ioTicksCountTheUnionOfBusyIntervalsAndWeightedTimeTheSum() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        clock.advanceMillis(100); // idle before the first I/O is not busy time
        long a = dev.start(Op.READ);
        clock.advanceMillis(5);
        long b = dev.start(Op.WRITE);
        clock.advanceMillis(5);
        dev.end(Op.READ, 8, a, false, null);
        clock.advanceMillis(10);
        dev.end(Op.WRITE, 8, b, false, null);
        clock.advanceMillis(10);
        long c = dev.start(Op.READ);
        clock.advanceMillis(5);
        dev.end(Op.READ, 8, c, false, null);
        clock.advanceMillis(1000);

        DiskStats s = accounting.snapshot("d").orElseThrow();
        assertEquals(25, s.ioTimeMs());
        assertEquals(30, s.weightedIoTimeMs());
        assertEquals(15, s.readTimeMs());
        assertEquals(15, s.writeTimeMs());
    }

    @Test
    void readingTheStatsAccountsTheOngoingBusyTime() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        long a = dev.start(Op.WRITE);
        clock.advanceMillis(40);
        DiskStats during = accounting.snapshot("d").orElseThrow();
        assertEquals(1, during.iosInProgress());
        assertEquals(40, during.ioTimeMs(), "diskstats_show brings io_ticks up to now while I/O is in flight");
        assertEquals(0, during.weightedIoTimeMs(), "an I/O's time is added when it completes");
        clock.advanceMillis(10);
        dev.end(Op.WRITE, 8, a, false, null);
        DiskStats after = accounting.snapshot("d").orElseThrow();
        assertEquals(50, after.ioTimeMs(), "the snapshot's update is not counted twice");
        assertEquals(50, after.weightedIoTimeMs());
    }

    @Test
    void resetZeroesTotalsButKeepsInFlightIos() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        dev.end(Op.READ, 8, dev.start(Op.READ), false, dev.session("h", 1));
        long open = dev.start(Op.WRITE);
        clock.advanceMillis(20);
        assertEquals(20, accounting.snapshot("d").orElseThrow().ioTimeMs());
        clock.advanceMillis(5);
        assertTrue(accounting.reset("d"));
        DiskStats afterReset = accounting.snapshot("d").orElseThrow();
        assertEquals(0, afterReset.readsCompleted());
        assertEquals(0, afterReset.ioTimeMs(), "busy time before the reset is gone");
        assertEquals(1, afterReset.iosInProgress());
        assertEquals(0, accounting.sessions("d").get(0).read().ios());
        clock.advanceMillis(7);
        dev.end(Op.WRITE, 8, open, false, null);
        DiskStats s = accounting.snapshot("d").orElseThrow();
        assertEquals(7, s.ioTimeMs());
        assertEquals(1, s.writesCompleted());
        assertEquals(0, s.iosInProgress());
    }

    /** Two threads each keep an I/O in flight at every moment for about a second: busy time is wall time. */
    @Test
    void saturatedDeviceIoTicksTrackWallTime() throws Exception {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters dev = accounting.device("saturated");
        int threads = 2;
        long runNanos = TimeUnit.MILLISECONDS.toNanos(1000);
        CyclicBarrier go = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> spans = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                spans.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    Op prevOp = Op.READ;
                    long prev = dev.start(prevOp);
                    long first = prev;
                    while (System.nanoTime() - first < runNanos) {
                        Op op = rnd.nextBoolean() ? Op.READ : Op.WRITE;
                        long next = dev.start(op); // the next I/O starts before the previous one ends
                        LockSupport.parkNanos(rnd.nextLong(20_000, 200_000));
                        dev.end(prevOp, 8, prev, false, null);
                        prev = next;
                        prevOp = op;
                    }
                    long beforeLastEnd = System.nanoTime();
                    dev.end(prevOp, 8, prev, false, null);
                    return new long[] {first, beforeLastEnd, System.nanoTime()};
                }));
            }
            // The busy period starts at the first start() and ends inside the last end(); bracket that end so a
            // thread descheduled around its final call cannot skew the comparison.
            long begin = Long.MAX_VALUE;
            long finishLow = Long.MIN_VALUE;
            long finishHigh = Long.MIN_VALUE;
            for (Future<long[]> f : spans) {
                long[] span = f.get(30, TimeUnit.SECONDS);
                begin = Math.min(begin, span[0]);
                finishLow = Math.max(finishLow, span[1]);
                finishHigh = Math.max(finishHigh, span[2]);
            }
            double wallLowMs = (finishLow - begin) / 1e6;
            double wallHighMs = (finishHigh - begin) / 1e6;
            DiskStats s = accounting.snapshot("saturated").orElseThrow();
            assertEquals(0, s.iosInProgress());
            String msg = "io_ticks " + s.ioTimeMs() + " ms vs wall " + wallLowMs + ".." + wallHighMs + " ms";
            assertTrue(s.ioTimeMs() >= wallLowMs * 0.95, msg);
            assertTrue(s.ioTimeMs() <= wallHighMs * 1.05, msg);
            assertTrue(s.weightedIoTimeMs() > 1.5 * s.ioTimeMs(),
                    "with several I/Os in flight the summed time (" + s.weightedIoTimeMs()
                            + " ms) exceeds the busy time (" + s.ioTimeMs() + " ms)");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Short I/Os separated by long gaps: the gaps are idle time, so io_ticks stays near 0. */
    @Test
    void mostlyIdleDeviceHasAlmostNoIoTicks() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters dev = accounting.device("idle");
        long begin = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            dev.end(Op.READ, 8, dev.start(Op.READ), false, null);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        double wallMs = (System.nanoTime() - begin) / 1e6;
        DiskStats s = accounting.snapshot("idle").orElseThrow();
        assertEquals(25, s.readsCompleted());
        assertTrue(s.ioTimeMs() <= wallMs * 0.05, "io_ticks " + s.ioTimeMs() + " ms over " + wallMs + " ms wall");
    }

    @Test
    void untouchedDeviceHasNoIoTicks() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        accounting.device("untouched");
        clock.advance(1, TimeUnit.HOURS);
        assertEquals(0, accounting.snapshot("untouched").orElseThrow().ioTimeMs());
    }
}
