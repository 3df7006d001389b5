package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.accounting.SessionStats;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.HostSession;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DeviceCountersTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 5_000;
    private static final String HOST_A = "nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-0000-0000-000000000001";
    private static final String HOST_B = "nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-0000-0000-000000000002";

    /**
     * Each thread, per round, keeps three I/Os outstanding at once and completes them out of order: a READ of 8
     * sectors, a WRITE of 16, and every 10th round a DISCARD of 256, every 100th a FLUSH; every 50th WRITE fails.
     * Threads 0 and 1 are controllers 1 and 2 of host A, threads 2 and 3 controllers 3 and 4 of host B.
     */
    @Test
    void exactCountsAndSectorsFromSeveralThreads() throws Exception {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters dev = accounting.device("jnvmet!nqn.2024-01.org.jnvmet:exact!ns1");
        CyclicBarrier go = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                HostSession session = dev.session(t < 2 ? HOST_A : HOST_B, t + 1);
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < ROUNDS; i++) {
                        long r = dev.start(Op.READ);
                        long w = dev.start(Op.WRITE);
                        long d = i % 10 == 0 ? dev.start(Op.DISCARD) : 0;
                        dev.end(Op.WRITE, 16, w, i % 50 == 0, session);
                        if (i % 10 == 0) {
                            dev.end(Op.DISCARD, 256, d, false, session);
                        }
                        dev.end(Op.READ, 8, r, false, session);
                        if (i % 100 == 0) {
                            dev.end(Op.FLUSH, 0, dev.start(Op.FLUSH), false, session);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long ios = (long) THREADS * ROUNDS;
        DiskStats s = accounting.snapshot("jnvmet!nqn.2024-01.org.jnvmet:exact!ns1").orElseThrow();
        assertEquals(ios, s.readsCompleted());
        assertEquals(ios * 8, s.sectorsRead());
        assertEquals(ios, s.writesCompleted());
        assertEquals(ios * 16, s.sectorsWritten());
        assertEquals(ios / 10, s.discardsCompleted());
        assertEquals(ios / 10 * 256, s.sectorsDiscarded());
        assertEquals(ios / 100, s.flushesCompleted());
        assertEquals(0, s.readsMerged() + s.writesMerged() + s.discardsMerged(), "jnvmet never merges");
        assertEquals(0, s.iosInProgress(), "every started I/O ended");

        Map<Op, OpStats> ops = accounting.opStats("jnvmet!nqn.2024-01.org.jnvmet:exact!ns1");
        assertEquals(ios / 50, ops.get(Op.WRITE).errors());
        assertEquals(0, ops.get(Op.READ).errors());

        List<SessionStats> sessions = accounting.sessions("jnvmet!nqn.2024-01.org.jnvmet:exact!ns1");
        assertEquals(THREADS, sessions.size());
        for (int t = 0; t < THREADS; t++) {
            SessionStats ss = sessions.get(t);
            assertEquals(t < 2 ? HOST_A : HOST_B, ss.hostNqn());
            assertEquals(t + 1, ss.cntlid());
            assertEquals(ROUNDS, ss.read().ios());
            assertEquals(ROUNDS * 8L, ss.read().sectors());
            assertEquals(ROUNDS * 16L, ss.write().sectors());
            assertEquals(ROUNDS / 50, ss.write().errors());
            assertEquals(ROUNDS / 10, ss.discard().ios());
            assertEquals(ROUNDS / 100, ss.flush().ios());
        }
        List<SessionStats> hosts = SessionStats.byHost(sessions);
        assertEquals(2, hosts.size());
        assertEquals(HOST_A, hosts.get(0).hostNqn());
        assertEquals(SessionStats.ALL_CONTROLLERS, hosts.get(0).cntlid());
        assertEquals(2L * ROUNDS, hosts.get(0).read().ios());
        assertEquals(2L * ROUNDS * 16, hosts.get(1).write().sectors());
    }

    /** The hot path must not allocate: 100k start/end pairs may not allocate even one byte per I/O. */
    @Test
    void startAndEndDoNotAllocate() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean hotspot)
                || !hotspot.isThreadAllocatedMemorySupported() || !hotspot.isThreadAllocatedMemoryEnabled()) {
            Assumptions.abort("per-thread allocation counting unavailable");
            return;
        }
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters dev = accounting.device("alloc");
        HostSession session = dev.session(HOST_A, 1);
        runPairs(dev, session, 20_000); // cells, classes and the first compilations are in place afterwards
        long tid = Thread.currentThread().getId();
        long before = hotspot.getThreadAllocatedBytes(tid);
        runPairs(dev, session, 100_000);
        long allocated = hotspot.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 100_000, allocated + " bytes allocated by 100000 start/end pairs");
        assertEquals(120_000, accounting.snapshot("alloc").orElseThrow().readsCompleted()
                + accounting.snapshot("alloc").orElseThrow().writesCompleted());
    }

    private static void runPairs(DeviceCounters dev, HostSession session, int pairs) {
        for (int i = 0; i < pairs; i++) {
            Op op = (i & 1) == 0 ? Op.READ : Op.WRITE;
            dev.end(op, 8, dev.start(op), false, session);
        }
    }

    @Test
    void inFlightCountsStartedButNotEndedIos() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters dev = accounting.device("d");
        long a = dev.start(Op.READ);
        long b = dev.start(Op.WRITE);
        long c = dev.start(Op.FLUSH);
        assertEquals(3, accounting.snapshot("d").orElseThrow().iosInProgress());
        dev.end(Op.WRITE, 8, b, false, null);
        assertEquals(2, accounting.snapshot("d").orElseThrow().iosInProgress());
        dev.end(Op.READ, 8, a, true, null);
        dev.end(Op.FLUSH, 0, c, false, null);
        DiskStats s = accounting.snapshot("d").orElseThrow();
        assertEquals(0, s.iosInProgress());
        assertEquals(1, s.readsCompleted(), "a failed I/O is still a completed one, as in the kernel");
        assertEquals(1, accounting.opStats("d").get(Op.READ).errors());
    }

    @Test
    void completionTimesSumPerOperation() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device("d");
        long r1 = dev.start(Op.READ);
        clock.advanceMillis(3);
        long w1 = dev.start(Op.WRITE);
        clock.advanceMillis(4);
        dev.end(Op.READ, 8, r1, false, null); // 7 ms
        long d1 = dev.start(Op.DISCARD);
        clock.advance(2_500, TimeUnit.MICROSECONDS);
        dev.end(Op.WRITE, 8, w1, false, null); // 6.5 ms
        dev.end(Op.DISCARD, 8, d1, false, null); // 2.5 ms
        long f1 = dev.start(Op.FLUSH);
        clock.advanceMillis(1);
        dev.end(Op.FLUSH, 0, f1, false, null); // 1 ms

        DiskStats s = accounting.snapshot("d").orElseThrow();
        assertEquals(7, s.readTimeMs());
        assertEquals(6, s.writeTimeMs(), "milliseconds truncate like the kernel's div_u64");
        assertEquals(2, s.discardTimeMs());
        assertEquals(1, s.flushTimeMs());
        assertEquals(17, s.weightedIoTimeMs(), "7 + 6.5 + 2.5 + 1 ms of I/O time");
        assertEquals(6_500_000L, accounting.opStats("d").get(Op.WRITE).nanos());
    }

    @Test
    void sessionHandlesAreCreatedOnceAndCountOnlyOnTheirDevice() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        DeviceCounters d1 = accounting.device("d1");
        DeviceCounters d2 = accounting.device("d2");
        HostSession s = d1.session(HOST_A, 7);
        assertSame(s, d1.session(HOST_A, 7));
        assertNotSame(s, d1.session(HOST_A, 8));
        assertNotSame(s, d2.session(HOST_A, 7));

        d2.end(Op.READ, 8, d2.start(Op.READ), false, s); // a handle of d1 used on d2
        assertEquals(1, accounting.snapshot("d2").orElseThrow().readsCompleted());
        assertEquals(0, accounting.sessions("d1").stream().filter(x -> x.cntlid() == 7)
                .findFirst().orElseThrow().read().ios());
        assertThrows(IllegalArgumentException.class, () -> d1.session(HOST_A, 0x10000));
        assertThrows(NullPointerException.class, () -> d1.session(null, 1));
    }
}
