package org.jnvmet.accounting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.jnvmet.spi.accounting.IoAccounting;

/**
 * {@link IoAccounting} plus the read side used by {@code nvmet:stats}, JMX and tests. Unknown device names give
 * empty results, never exceptions.
 */
public interface AccountingService extends IoAccounting {

    /** The device's counters in /proc/diskstats shape; reading them accounts io_ticks up to now, like the kernel. */
    Optional<DiskStats> snapshot(String device);

    /** Snapshots of every device, ordered by minor number (creation order), like /proc/diskstats. */
    List<DiskStats> list();

    /** Per-operation totals with nanosecond time and error counts (beyond the kernel's fields); empty if unknown. */
    Map<Op, OpStats> opStats(String device);

    /** Per-controller breakdown, ordered by host NQN then controller ID. Use {@link SessionStats#byHost} to fold. */
    List<SessionStats> sessions(String device);

    /** Completion latency histogram of one operation kind. */
    Optional<LatencyHistogram> histogram(String device, Op op);

    /**
     * Zeroes a device's counters, histograms and session counters; I/Os in flight stay counted. I/Os completing
     * concurrently with the reset may or may not be counted. Returns false if the device is unknown.
     */
    boolean reset(String device);

    /** {@link #reset} for every device. */
    void resetAll();

    /** Every device as /proc/diskstats text, one line per device, each ending with a newline. */
    default String diskstats() {
        StringBuilder text = new StringBuilder();
        for (DiskStats stats : list()) {
            stats.appendDiskstatsLine(text);
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * Adds a listener; it is first told about every existing device, then about later additions and removals, in
     * order and from one thread at a time.
     */
    void addListener(DeviceListener listener);

    void removeListener(DeviceListener listener);
}
