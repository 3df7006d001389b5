package org.jnvmet.benchmark;

/**
 * One measured run of one workload against one target. Per-I/O figures divide the target's deltas over the
 * measured window by the I/Os completed in it.
 */
record RunResult(Workload workload, int rep, boolean accounting, double seconds, long ios, long errors,
        double avgMicros, double p50Micros, double p99Micros, double p999Micros, double maxMicros,
        ProcessStats target, long hostCpuNanos, double otherCpus, double irqCpus, double steal, boolean contended) {

    static RunResult of(Workload w, int rep, boolean accounting, double seconds, IoEngine e, ProcessStats targetDelta,
            long hostCpuNanos, double otherCpus, double irqCpus, double steal, boolean contended) {
        LatencyHistogram h = e.histogram();
        return new RunResult(w, rep, accounting, seconds, e.measuredIos(), e.errors(), h.meanNanos() / 1e3,
                h.percentileNanos(50) / 1e3, h.percentileNanos(99) / 1e3, h.percentileNanos(99.9) / 1e3,
                h.maxNanos() / 1e3, targetDelta, hostCpuNanos, otherCpus, irqCpus, steal, contended);
    }

    double iops() {
        return ios / seconds;
    }

    double mibPerSec() {
        return iops() * workload.ioSize() / (1 << 20);
    }

    double targetCpuMicrosPerIo() {
        return ios == 0 ? Double.NaN : target.cpuNanos() / 1e3 / ios;
    }

    double targetAllocBytesPerIo() {
        return ios == 0 ? Double.NaN : (double) target.allocatedBytes() / ios;
    }

    /** Target write/writev system calls per I/O: how well responses are batched into one send. */
    double targetWritesPerIo() {
        return ios == 0 || target.writeSyscalls() < 0 ? Double.NaN : (double) target.writeSyscalls() / ios;
    }

    /** Target context switches per I/O: how often its event loop went to sleep (in epoll_wait) and woke. */
    double targetSwitchesPerIo() {
        return ios == 0 || target.contextSwitches() < 0 ? Double.NaN : (double) target.contextSwitches() / ios;
    }

    /** Target CPU time over wall time: 1.0 is one core saturated. */
    double targetUtilization() {
        return target.cpuNanos() / 1e9 / seconds;
    }

    double hostCpuMicrosPerIo() {
        return ios == 0 ? Double.NaN : hostCpuNanos / 1e3 / ios;
    }

    double hostUtilization() {
        return hostCpuNanos / 1e9 / seconds;
    }


    String line() {
        return String.format("%-20s acct=%-3s %9.0f IOPS %8.1f MiB/s avg %7.1f p50 %7.1f p99 %7.1f p99.9 %8.1f"
                        + " max %8.1f us | target %5.2f us/IO %7.1f B/IO util %3.0f%% gc %d wr/IO %.2f cs/IO %.2f"
                        + " | host %5.2f us/IO"
                        + " util %3.0f%% | others %3.0f%% irq %3.0f%% steal %2.0f%%%s%s",
                workload.name(), accounting ? "on" : "off", iops(), mibPerSec(), avgMicros, p50Micros, p99Micros,
                p999Micros, maxMicros, targetCpuMicrosPerIo(), targetAllocBytesPerIo(), 100 * targetUtilization(),
                target.gcCount(), targetWritesPerIo(), targetSwitchesPerIo(), hostCpuMicrosPerIo(), 100 * hostUtilization(), 100 * otherCpus, 100 * irqCpus,
                100 * steal, contended ? " CONTENDED" : "", errors > 0 ? " ERRORS " + errors : "");
    }
}
