package org.jnvmet.benchmark;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JVM's cumulative costs at one instant: process CPU time (all threads, JIT and GC included), heap bytes allocated
 * by the threads alive now (com.sun.management.ThreadMXBean), and GC counts, all without the calling thread (the
 * target's control thread, whose only work is answering these snapshots). Differences of two snapshots taken
 * around a measured window, divided by the I/Os completed in it, give CPU and allocation per I/O.
 */
record ProcessStats(long cpuNanos, long allocatedBytes, long gcCount, long gcMillis, int threads,
        long writeSyscalls, long contextSwitches) {

    static ProcessStats capture() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var tm = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // the calling (control) thread is left out: what it spends answering STATS is measurement, not target
        long self = Thread.currentThread().getId();
        long[] ids = tm.getAllThreadIds();
        long[] allocated = tm.getThreadAllocatedBytes(ids);
        long alloc = 0;
        for (int i = 0; i < ids.length; i++) {
            if (allocated[i] > 0 && ids[i] != self) {
                alloc += allocated[i];
            }
        }
        long gcs = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        return new ProcessStats(os.getProcessCpuTime() - tm.getCurrentThreadCpuTime(), alloc, gcs, gcMs, ids.length, readWriteSyscalls(),
                readContextSwitches());
    }

    /** write/writev system calls of the process (/proc/self/io syscw; socket writes by writev count). */
    private static long readWriteSyscalls() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (l.startsWith("syscw:")) {
                    return Long.parseLong(l.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return -1;
    }

    /** Voluntary plus involuntary context switches summed over the process's threads. */
    private static long readContextSwitches() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    String toLine() {
        return "STATS cpu=" + cpuNanos + " alloc=" + allocatedBytes + " gc=" + gcCount + " gcms=" + gcMillis
                + " threads=" + threads + " syscw=" + writeSyscalls + " cs=" + contextSwitches;
    }

    static ProcessStats parse(String line) {
        if (!line.startsWith("STATS ")) {
            throw new IllegalArgumentException("not a STATS line: " + line);
        }
        Map<String, Long> v = new HashMap<>();
        for (String kv : line.substring(6).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return new ProcessStats(v.get("cpu"), v.get("alloc"), v.get("gc"), v.get("gcms"),
                v.get("threads").intValue(), v.getOrDefault("syscw", -1L), v.getOrDefault("cs", -1L));
    }

    ProcessStats minus(ProcessStats before) {
        return new ProcessStats(cpuNanos - before.cpuNanos, allocatedBytes - before.allocatedBytes,
                gcCount - before.gcCount, gcMillis - before.gcMillis, threads,
                writeSyscalls - before.writeSyscalls, contextSwitches - before.contextSwitches);
    }
}
