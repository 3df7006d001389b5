package org.jnvmet.spi.accounting;

/** One device's counters. */
public interface DeviceCounters {
    /** Operation kinds, as /proc/diskstats groups them. */
    enum Op { READ, WRITE, DISCARD, FLUSH }

    /** An I/O starts: counts it in flight. Returns the start timestamp (System.nanoTime()) to pass to {@link #end}. */
    long start(Op op);

    /**
     * An I/O finished. {@code sectors} in 512-byte units; {@code session} from {@link #session} (may be null) for
     * the per-host and per-controller breakdown.
     */
    void end(Op op, long sectors, long startNanos, boolean error, HostSession session);

    /** A handle for one controller's I/O on this device, created once per controller and namespace. */
    HostSession session(String hostNqn, int cntlid);

    /** Opaque per-host handle. */
    interface HostSession {
    }
}
