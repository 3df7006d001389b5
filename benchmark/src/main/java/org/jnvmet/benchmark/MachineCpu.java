package org.jnvmet.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-CPU time from /proc/stat (USER_HZ ticks, 100 per second on Linux), to tell whether the two pinned processes
 * had their CPUs to themselves. Task time (user, nice, system) beyond theirs is other load; interrupt and softirq
 * time is kept apart, since loopback TCP legitimately spends it on both CPUs.
 */
record MachineCpu(long[] taskTicks, long[] irqTicks, long[] stealTicks, long[] totalTicks) {
    static final double TICKS_PER_SECOND = 100.0;

    static MachineCpu read() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            int cpus = (int) lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            long[] task = new long[cpus];
            long[] irq = new long[cpus];
            long[] steal = new long[cpus];
            long[] total = new long[cpus];
            for (String l : lines) {
                if (!l.matches("cpu\\d+ .*")) {
                    continue;
                }
                // cpuN user nice system idle iowait irq softirq steal (guest time is already inside user)
                String[] f = l.trim().split("\\s+");
                int cpu = Integer.parseInt(f[0].substring(3));
                if (cpu >= cpus || f.length < 9) {
                    continue;
                }
                long[] v = new long[8];
                for (int i = 0; i < 8; i++) {
                    v[i] = Long.parseLong(f[i + 1]);
                }
                task[cpu] = v[0] + v[1] + v[2];
                irq[cpu] = v[5] + v[6];
                steal[cpu] = v[7];
                total[cpu] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
            }
            return new MachineCpu(task, irq, steal, total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(new long[0], new long[0], new long[0], new long[0]);
        }
    }

    /** Task (user+nice+system) time of {@code cpu} since {@code before}, as a fraction of that CPU; NaN if unknown. */
    double task(MachineCpu before, int cpu) {
        return fraction(taskTicks, before.taskTicks, before, cpu);
    }

    double irq(MachineCpu before, int cpu) {
        return fraction(irqTicks, before.irqTicks, before, cpu);
    }

    double steal(MachineCpu before, int cpu) {
        return fraction(stealTicks, before.stealTicks, before, cpu);
    }

    /** Task time of all CPUs since {@code before}, in CPUs (2.0 = both of two CPUs busy). */
    double allTasks(MachineCpu before) {
        double sum = 0;
        for (int cpu = 0; cpu < taskTicks.length && cpu < before.taskTicks.length; cpu++) {
            double f = task(before, cpu);
            sum += Double.isNaN(f) ? 0 : f;
        }
        return sum;
    }

    private double fraction(long[] now, long[] then, MachineCpu before, int cpu) {
        if (cpu < 0 || cpu >= now.length || cpu >= then.length) {
            return Double.NaN;
        }
        long dt = totalTicks[cpu] - before.totalTicks[cpu];
        return dt <= 0 ? Double.NaN : (double) (now[cpu] - then[cpu]) / dt;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
