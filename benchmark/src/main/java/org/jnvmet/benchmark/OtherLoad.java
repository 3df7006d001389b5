package org.jnvmet.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of every process on the machine except the benchmark's own, from /proc/[pid]/stat (utime + stime, in
 * USER_HZ ticks), so a run can tell whether something else competed for the CPUs during it. A process that started
 * after the first snapshot counts with all its time; one that ended in between is missed.
 */
final class OtherLoad {
    private final Set<Long> ours;
    private final Map<Long, Long> ticks;
    private final long nanos;

    private OtherLoad(Set<Long> ours, Map<Long, Long> ticks, long nanos) {
        this.ours = ours;
        this.ticks = ticks;
        this.nanos = nanos;
    }

    static OtherLoad snapshot(Set<Long> ours) {
        Map<Long, Long> t = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (ours.contains(pid)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // fields after the parenthesised command name: state is field 3, utime 14, stime 15
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    t.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: contention unknown
        }
        return new OtherLoad(ours, t, System.nanoTime());
    }

    /** Other processes' CPU time since {@code before}, in CPUs (1.0 = one CPU fully used by others). */
    double cpusSince(OtherLoad before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : ticks.entrySet()) {
            Long then = before.ticks.get(e.getKey());
            sum += then == null ? e.getValue() : Math.max(0, e.getValue() - then);
        }
        double seconds = (nanos - before.nanos) / 1e9;
        return seconds <= 0 ? Double.NaN : sum / MachineCpu.TICKS_PER_SECOND / seconds;
    }

    /** Blocks until others used less than {@code threshold} CPUs over one second, or {@code maxSeconds} passed. */
    static double awaitQuiet(Set<Long> ours, double threshold, double maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        double load;
        do {
            OtherLoad a = snapshot(ours);
            Thread.sleep(1000);
            load = snapshot(ours).cpusSince(a);
        } while (!(load < threshold) && System.nanoTime() < deadline);
        return load;
    }
}
