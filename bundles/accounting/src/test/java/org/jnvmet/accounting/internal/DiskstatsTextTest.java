package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jnvmet.accounting.DiskStats;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Test;

/** The service's text dump against lines worked out by hand, and parsed back into the same snapshots. */
class DiskstatsTextTest {

    @Test
    void dumpIsProcDiskstatsAndParsesBack() {
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters a = accounting.device("jnvmet!nqn.2024-01.org.jnvmet:sub1!ns1");
        accounting.device("nvme-b");

        long r = a.start(Op.READ);
        clock.advanceMillis(7);
        a.end(Op.READ, 8, r, false, null);
        long w = a.start(Op.WRITE);
        clock.advanceMillis(3);
        a.end(Op.WRITE, 16, w, false, null);
        long d = a.start(Op.DISCARD);
        clock.advanceMillis(1);
        a.end(Op.DISCARD, 2048, d, false, null);
        long f = a.start(Op.FLUSH);
        clock.advanceMillis(2);
        a.end(Op.FLUSH, 0, f, false, null);
        clock.advanceMillis(7); // idle
        a.start(Op.WRITE); // still in flight at the snapshot
        clock.advanceMillis(5);

        String text = accounting.diskstats();
        assertEquals(""
                // reads: 1 0 8 7 | writes: 1 0 16 3 | in flight 1, io_ticks 13+5, weighted 7+3+1+2 | discard | flush
                + "   0       0 jnvmet!nqn.2024-01.org.jnvmet:sub1!ns1 1 0 8 7 1 0 16 3 1 18 13 1 0 2048 1 1 2\n"
                + "   0       1 nvme-b 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", text);

        List<DiskStats> snapshots = accounting.list();
        String[] lines = text.split("\n");
        assertEquals(snapshots.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(snapshots.get(i), DiskStats.parse(lines[i]));
        }
    }

    @Test
    void minorsKeepRunningAfterRemoval() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        accounting.device("x");
        accounting.device("y");
        accounting.remove("x");
        accounting.device("x");
        List<DiskStats> all = accounting.list();
        assertEquals(List.of("y", "x"), all.stream().map(DiskStats::name).toList());
        assertEquals(List.of(1, 2), all.stream().map(DiskStats::minor).toList());
    }
}
