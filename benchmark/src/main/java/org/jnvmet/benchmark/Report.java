package org.jnvmet.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Medians over repeats, as Markdown tables beside the SPDK anchors and the loopback yardstick. */
final class Report {
    private Report() {
    }

    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
        return median(runs.stream().mapToDouble(metric).toArray());
    }

    /**
     * The runs of one workload and accounting setting that count: the uncontended ones, or all of them when every
     * one was contended (the figures then say so).
     */
    static List<RunResult> select(List<RunResult> all, Workload w, boolean accounting) {
        List<RunResult> out = new ArrayList<>();
        List<RunResult> clean = new ArrayList<>();
        for (RunResult r : all) {
            if (r.workload().name().equals(w.name()) && r.accounting() == accounting) {
                out.add(r);
                if (!r.contended()) {
                    clean.add(r);
                }
            }
        }
        return clean.isEmpty() ? out : clean;
    }

    static String figures(List<RunResult> all, List<Workload> workloads, boolean accounting) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | IOPS | MiB/s | avg us | p50 us | p99 us | p99.9 us | target CPU us/IO | "
                + "target alloc B/IO | target CPU util | target writes/IO | target ctx sw/IO | host CPU us/IO | "
                + "host CPU util | other processes | runs |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Workload w : workloads) {
            List<RunResult> runs = select(all, w, accounting);
            if (runs.isEmpty()) {
                continue;
            }
            b.append(String.format("| %s | %,.0f | %,.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.0f%% | %.2f "
                            + "| %.2f | %.2f | %.0f%% | %.0f%% | %d%s |%n",
                    w.name(), median(runs, RunResult::iops), median(runs, RunResult::mibPerSec),
                    median(runs, RunResult::avgMicros), median(runs, RunResult::p50Micros),
                    median(runs, RunResult::p99Micros), median(runs, RunResult::p999Micros),
                    median(runs, RunResult::targetCpuMicrosPerIo), median(runs, RunResult::targetAllocBytesPerIo),
                    100 * median(runs, RunResult::targetUtilization), median(runs, RunResult::targetWritesPerIo),
                    median(runs, RunResult::targetSwitchesPerIo), median(runs, RunResult::hostCpuMicrosPerIo),
                    100 * median(runs, RunResult::hostUtilization), 100 * median(runs, RunResult::otherCpus),
                    runs.size(), flags(runs)));
        }
        return b.toString();
    }

    private static String flags(List<RunResult> runs) {
        long contended = runs.stream().filter(RunResult::contended).count();
        String f = contended > 0 ? " (" + contended + " contended)" : "";
        return runs.stream().anyMatch(r -> r.errors() > 0) ? f + " (ERRORS)" : f;
    }

    static String versusSpdk(List<RunResult> all, List<Workload> workloads, boolean accounting) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | jnvmet IOPS | SPDK IOPS | jnvmet / SPDK | jnvmet avg / p99 us | SPDK avg / p99 us | "
                + "jnvmet target CPU us/IO | SPDK target CPU us/IO |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Workload w : workloads) {
            List<RunResult> runs = select(all, w, accounting);
            if (runs.isEmpty() || w.spdk() == null) {
                continue;
            }
            double iops = median(runs, RunResult::iops);
            Workload.Anchor a = w.spdk();
            b.append(String.format("| %s | %,.0f | %,d | %.1f%% | %.1f / %.1f | %.1f / %.1f | %.2f | %s |%n",
                    w.name(), iops, a.iops(), 100 * iops / a.iops(), median(runs, RunResult::avgMicros),
                    median(runs, RunResult::p99Micros), a.avgMicros(), a.p99Micros(),
                    median(runs, RunResult::targetCpuMicrosPerIo),
                    Double.isNaN(a.targetCpuMicrosPerIo()) ? "-" : String.format("~%.1f", a.targetCpuMicrosPerIo())));
        }
        return b.toString();
    }

    /**
     * Accounting on against off for one workload. Runs were interleaved in pairs, so besides the medians of each
     * side this gives the median of the per-pair relative differences, which cancels drift in machine load.
     */
    static String accountingCost(List<RunResult> all, Workload w) {
        List<RunResult> on = select(all, w, true);
        List<RunResult> off = select(all, w, false);
        if (on.isEmpty() || off.isEmpty()) {
            return "(no accounting comparison: run with --accounting both)\n";
        }
        // pairs: the on and off runs of the same repeat, both counted
        List<Double> cpu = new ArrayList<>();
        List<Double> iops = new ArrayList<>();
        for (RunResult a : on) {
            for (RunResult b : off) {
                if (a.rep() == b.rep()) {
                    cpu.add(a.targetCpuMicrosPerIo() / b.targetCpuMicrosPerIo() - 1);
                    iops.add(a.iops() / b.iops() - 1);
                }
            }
        }
        int pairs = cpu.size();
        double[] cpuDelta = cpu.stream().mapToDouble(Double::doubleValue).toArray();
        double[] iopsDelta = iops.stream().mapToDouble(Double::doubleValue).toArray();
        StringBuilder b = new StringBuilder();
        b.append("| ").append(w.name()).append(" | accounting on | accounting off | on vs off (median of pairs) |\n");
        b.append("|---|---:|---:|---:|\n");
        b.append(String.format("| IOPS | %,.0f | %,.0f | %+.1f%% |%n", median(on, RunResult::iops),
                median(off, RunResult::iops), 100 * median(iopsDelta)));
        b.append(String.format("| target CPU us/IO | %.3f | %.3f | %+.1f%% |%n",
                median(on, RunResult::targetCpuMicrosPerIo), median(off, RunResult::targetCpuMicrosPerIo),
                100 * median(cpuDelta)));
        b.append(String.format("| target alloc B/IO | %.1f | %.1f | |%n",
                median(on, RunResult::targetAllocBytesPerIo), median(off, RunResult::targetAllocBytesPerIo)));
        b.append(String.format("| avg / p99 us | %.1f / %.1f | %.1f / %.1f | |%n", median(on, RunResult::avgMicros),
                median(on, RunResult::p99Micros), median(off, RunResult::avgMicros),
                median(off, RunResult::p99Micros)));
        b.append(String.format("| runs | %d | %d | %d pairs |%n", on.size(), off.size(), pairs));
        return b.toString();
    }

    static String loopback(LoopbackClient.Results r) {
        StringBuilder b = new StringBuilder();
        b.append("| loopback TCP (this run) | measured | anchor (performance-anchors.md) |\n|---|---:|---:|\n");
        b.append(String.format("| one stream, Java blast | %,.0f MiB/s (%.1f Gbit/s) | iperf3: 2,785 MiB/s "
                + "(23.4 Gbit/s) |%n", r.blastMiBps(), r.blastMiBps() * (1 << 20) * 8 / 1e9));
        b.append("| one stream, iperf3 | ").append(r.iperf3() == null ? "not installed" : r.iperf3())
                .append(" | 2,785 MiB/s (23.4 Gbit/s) |\n");
        b.append(String.format("| round trip 72 B, busy-poll | %.1f us | ~9.5 us |%n", r.rtt72Spin()));
        b.append(String.format("| round trip 4 KiB, busy-poll | %.1f us | ~11 us |%n", r.rtt4kSpin()));
        b.append(String.format("| round trip 72 B, sleeping in epoll | %.1f us | ~57 us |%n", r.rtt72Sleep()));
        b.append(String.format("| round trip 4 KiB, sleeping in epoll | %.1f us | ~65 us |%n", r.rtt4kSleep()));
        return b.toString();
    }
}
