package org.jnvmet.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parsesTheDocumentedOptions() {
        Options o = Options.parse(new String[] {"--repeat", "3", "--accounting", "both", "--duration", "2.5",
                "--workloads", "randread-4k-qd32,randwrite-8k-qd4", "--no-loopback", "--size", "64M",
                "--target-cpu", "none"});
        assertEquals(3, o.repeat);
        assertEquals(Options.Accounting.BOTH, o.accounting);
        assertEquals(2.5, o.durationSeconds);
        assertEquals(List.of("randread-4k-qd32", "randwrite-8k-qd4"), o.workloads.stream().map(Workload::name).toList());
        Workload adHoc = o.workloads.get(1);
        assertTrue(adHoc.write() && adHoc.random());
        assertEquals(8192, adHoc.ioSize());
        assertEquals(4, adHoc.queueDepth());
        assertFalse(o.loopback);
        assertEquals(64L << 20, o.namespaceBytes);
        assertEquals(null, o.targetCpu);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--repeat", "0"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--workloads", "trim-4k-qd1"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--duration"}));
    }

    @Test
    void standardWorkloadsCarryTheirAnchors() {
        assertEquals(4, Workload.STANDARD.size());
        assertEquals(433_000, Workload.parse("randread-4k-qd32").spdk().iops());
        assertEquals(131072, Workload.parse("seqread-128k-qd16").ioSize());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Report.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Report.median(new double[] {4, 1, 3, 2}));
        assertEquals(5.0, Report.median(new double[] {Double.NaN, 5}));
        assertTrue(Double.isNaN(Report.median(new double[0])));
    }

    @Test
    void statsLineRoundTrips() {
        ProcessStats s = new ProcessStats(123_456_789L, 987_654L, 3, 17, 12, 500, 40);
        assertEquals(s, ProcessStats.parse(s.toLine()));
        ProcessStats d = s.minus(new ProcessStats(23_456_789L, 654L, 1, 7, 11, 100, 10));
        assertEquals(100_000_000L, d.cpuNanos());
        assertEquals(987_000L, d.allocatedBytes());
        assertEquals(2, d.gcCount());
    }
}
