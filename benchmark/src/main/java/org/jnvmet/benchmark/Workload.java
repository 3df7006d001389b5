package org.jnvmet.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fio-like job: direction, access pattern, I/O size and queue depth, and the SPDK figures measured for the
 * same job on this machine kind (shared/reference/performance-anchors.md), for comparison.
 */
record Workload(String name, boolean write, boolean random, int ioSize, int queueDepth, Anchor spdk) {

    /** SPDK nvmf_tgt + spdk_nvme_perf, one core each, 512 MiB malloc namespace, median of 10 s runs. */
    record Anchor(long iops, double mibPerSec, double avgMicros, double p99Micros, double targetCpuMicrosPerIo) {
    }

    static final Workload RANDREAD_QD1 = new Workload("randread-4k-qd1", false, true, 4096, 1,
            new Anchor(65_500, 256, 15.3, 23.2, 2.3));
    static final Workload RANDREAD_QD32 = new Workload("randread-4k-qd32", false, true, 4096, 32,
            new Anchor(433_000, 1692, 73.8, 134, 2.3));
    static final Workload RANDWRITE_QD32 = new Workload("randwrite-4k-qd32", true, true, 4096, 32,
            new Anchor(503_000, 1965, 63.7, 118, 1.9));
    static final Workload SEQREAD_128K_QD16 = new Workload("seqread-128k-qd16", false, false, 128 << 10, 16,
            new Anchor(33_800, 4228, 473, 723, Double.NaN));

    /** The four workloads of performance-anchors.md, in the order the benchmark runs them. */
    static final List<Workload> STANDARD = List.of(RANDREAD_QD1, RANDREAD_QD32, RANDWRITE_QD32, SEQREAD_128K_QD16);

    /** Sequential 128 KiB writes over the whole namespace at QD16: preconditioning, run once per target. */
    static Workload fill() {
        return new Workload("precondition-write-128k-qd16", true, false, 128 << 10, 16, null);
    }

    /**
     * Parses a comma-separated list of standard names, or ad-hoc jobs written {@code read|write|randread|randwrite
     * -SIZE-qdN} (e.g. {@code randread-16k-qd8}).
     */
    static List<Workload> parseList(String spec) {
        List<Workload> out = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("all")) {
                out.addAll(STANDARD);
                continue;
            }
            out.add(parse(s));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no workload in '" + spec + "'");
        }
        return out;
    }

    static Workload parse(String s) {
        for (Workload w : STANDARD) {
            if (w.name.equals(s)) {
                return w;
            }
        }
        String[] p = s.split("-");
        if (p.length != 3 || !p[2].startsWith("qd")) {
            throw new IllegalArgumentException("workload '" + s + "': expected e.g. randread-4k-qd32 or one of "
                    + STANDARD.stream().map(Workload::name).toList());
        }
        boolean write;
        boolean random;
        switch (p[0]) {
            case "read", "seqread" -> { write = false; random = false; }
            case "write", "seqwrite" -> { write = true; random = false; }
            case "randread" -> { write = false; random = true; }
            case "randwrite" -> { write = true; random = true; }
            default -> throw new IllegalArgumentException("workload '" + s + "': unknown direction " + p[0]);
        }
        int size = (int) Sizes.parseBytes(p[1]);
        int qd = Integer.parseInt(p[2].substring(2));
        if (size < 512 || size > (1 << 20) || qd < 1 || qd > 1024) {
            throw new IllegalArgumentException("workload '" + s + "': size 512..1M and qd 1..1024");
        }
        return new Workload(s, write, random, size, qd, null);
    }
}
