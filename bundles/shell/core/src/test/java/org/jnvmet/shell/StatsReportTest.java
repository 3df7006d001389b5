package org.jnvmet.shell;

import static org.jnvmet.shell.fixtures.Fixtures.HOST1;
import static org.jnvmet.shell.fixtures.Fixtures.HOST2;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Locale;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.shell.fixtures.Fixtures.ManualClock;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.HostSession;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** nvmet:stats against the real accounting service, fed I/O the way the core reports it. */
class StatsReportTest {
    private static final String DEV1 = "jnvmet!" + S1 + "!ns1";
    private static final String DEV2 = "jnvmet!" + S1 + "!ns2";
    private static final String OTHER = "jnvmet!" + S2 + "!ns1";

    private final ManualClock clock = new ManualClock();
    private AccountingServiceImpl accounting;
    private StatsReport stats;

    /**
     * One after another on DEV1: host1/controller 1 reads 8 sectors in 7 ms and writes 16 in 3 ms (failing);
     * host1/controller 2 reads 8 in 1 ms; host2/controller 3 writes 8 in 2 ms and flushes in 1 ms.
     */
    @BeforeEach
    void setUp() {
        accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device(DEV1);
        accounting.device(DEV2);
        accounting.device(OTHER);
        accounting.device("nvme0n1");
        HostSession c1 = dev.session(HOST1, 1);
        HostSession c2 = dev.session(HOST1, 2);
        HostSession c3 = dev.session(HOST2, 3);
        io(dev, Op.READ, 8, 7, false, c1);
        io(dev, Op.WRITE, 16, 3, true, c1);
        io(dev, Op.READ, 8, 1, false, c2);
        io(dev, Op.WRITE, 8, 2, false, c3);
        io(dev, Op.FLUSH, 0, 1, false, c3);
        stats = new StatsReport(accounting);
    }

    private void io(DeviceCounters dev, Op op, long sectors, long millis, boolean error, HostSession s) {
        long start = dev.start(op);
        clock.advanceMillis(millis);
        dev.end(op, sectors, start, error, s);
    }

    @Test
    void deviceTable() {
        Table t = stats.table(null);
        assertEquals(List.of(DEV1, DEV2, OTHER, "nvme0n1"), t.column("Device"));
        assertEquals("2", t.cell(DEV1, "Reads"));
        assertEquals("8", t.cell(DEV1, "Read KiB"));
        assertEquals("8", t.cell(DEV1, "Read ms"));
        assertEquals("2", t.cell(DEV1, "Writes"));
        assertEquals("12", t.cell(DEV1, "Write KiB"));
        assertEquals("5", t.cell(DEV1, "Write ms"));
        assertEquals("1", t.cell(DEV1, "Flushes"));
        assertEquals("0", t.cell(DEV1, "In flight"));
        assertEquals("14", t.cell(DEV1, "Busy ms"));
        assertEquals("1", t.cell(DEV1, "Errors"));
        assertEquals("0", t.cell(DEV2, "Reads"));
    }

    @Test
    void diskstatsTextIsTheKernelsFormat() {
        // reads 2 0 16 8 | writes 2 0 24 5 | in flight 0, io_ticks 14, weighted 8+5+1 | discards 0 | flush 1 1
        String line1 = "   0       0 " + DEV1 + " 2 0 16 8 2 0 24 5 0 14 14 0 0 0 0 1 1\n";
        assertEquals(line1, stats.diskstats(DEV1));
        assertEquals(accounting.diskstats(), stats.diskstats(null));
        assertEquals(line1 + "   0       1 " + DEV2 + " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", stats.diskstats(S1));
        assertEquals(accounting.snapshot(DEV1).orElseThrow(), DiskStats.parse(stats.diskstats(DEV1)));
    }

    @Test
    void devicesByNameNamespacePathOrSubsystem() {
        assertEquals(List.of(DEV1), names(stats.devices("subsystems/" + S1 + "/namespaces/1")));
        assertEquals(List.of(DEV1, DEV2), names(stats.devices("/subsystems/" + S1)));
        assertEquals(List.of(DEV1, DEV2), names(stats.devices(S1)));
        assertEquals(List.of("nvme0n1"), names(stats.devices("nvme0n1")));
        assertEquals("subsystems/" + S1 + "/namespaces/9: no such device (nvmet:stats lists them)",
                assertThrows(ShellCommandException.class,
                        () -> stats.devices("subsystems/" + S1 + "/namespaces/9")).getMessage());
    }

    private static List<String> names(List<DiskStats> stats) {
        return stats.stream().map(DiskStats::name).toList();
    }

    @Test
    void perHostAndPerControllerBreakdown() {
        Table hosts = stats.hosts(DEV1, false);
        assertEquals(List.of(HOST1, HOST2), hosts.column("Host NQN"));
        assertEquals(List.of("2", "0"), hosts.column("Reads"));
        assertEquals(List.of("8", "0"), hosts.column("Read KiB"));
        assertEquals(List.of("1", "1"), hosts.column("Writes"));
        assertEquals(List.of("8", "4"), hosts.column("Write KiB"));
        assertEquals(List.of("0", "1"), hosts.column("Flushes"));
        assertEquals(List.of("1", "0"), hosts.column("Errors"));

        Table controllers = stats.hosts(DEV1, true);
        assertEquals(List.of("1", "2", "3"), controllers.column("Cntlid"));
        assertEquals(List.of("1", "1", "0"), controllers.column("Reads"));
        assertEquals(List.of(), stats.hosts(DEV2, false).rows());
    }

    @Test
    void latencyPercentilesPerOperationThatSawIo() {
        Table t = stats.latency(DEV1);
        assertEquals(List.of("read", "write", "flush"), t.column("Op"));
        assertEquals(List.of("2", "2", "1"), t.column("I/Os"));
        var reads = accounting.histogram(DEV1, Op.READ).orElseThrow();
        assertEquals(String.format(Locale.ROOT, "%.1f", reads.percentileMicros(50)), t.column("p50 us").get(0));
        assertEquals(String.format(Locale.ROOT, "%.1f", reads.percentileMicros(99.9)),
                t.column("p99.9 us").get(0));
        // 1 ms and 7 ms fall into the log2 buckets [512, 1024) and [4096, 8192) microseconds
        double p50 = Double.parseDouble(t.column("p50 us").get(0));
        double p999 = Double.parseDouble(t.column("p99.9 us").get(0));
        assertEquals(true, p50 >= 512 && p50 <= 1024, "p50 " + p50);
        assertEquals(true, p999 >= 4096 && p999 <= 8192, "p99.9 " + p999);
    }

    @Test
    void theReportCombinesTheRequestedViews() {
        assertInstanceOf(Output.Tabular.class, stats.report(null, false, false, false, false));
        assertEquals(stats.diskstats(DEV1), Output.render(stats.report(DEV1, true, false, false, false)));
        Output.Sections both = assertInstanceOf(Output.Sections.class, stats.report(DEV1, false, true, false, true));
        assertEquals("Per host:", ((Output.Tabular) both.parts().get(0)).title());
        assertEquals("Completion latency:", ((Output.Tabular) both.parts().get(1)).title());
    }

    @Test
    void resetZeroesTheNamedDevices() {
        assertEquals("reset 2 devices\n", Output.render(stats.reset(S1)));
        assertEquals("0", stats.table(DEV1).cell(DEV1, "Reads"));
    }
}
