package org.jnvmet.spi.accounting;

/**
 * Block I/O accounting in the shape of /proc/diskstats, registered as a service. Backends' devices are registered
 * by name; the core reports each completed I/O. Implementations must be cheap on the hot path (no locks, no
 * allocation per I/O).
 */
public interface IoAccounting {
    /** Gets or creates the counters of a device, e.g. "jnvmet!nqn...!ns1" or "nvme0n1". */
    DeviceCounters device(String name);

    /** Drops a device's counters (namespace deleted). */
    void remove(String name);
}
