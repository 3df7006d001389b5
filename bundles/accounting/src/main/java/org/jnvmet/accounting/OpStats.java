package org.jnvmet.accounting;

/**
 * Totals of one operation kind: completed I/Os (failed ones included, as the kernel counts them), 512-byte
 * sectors, summed completion time in nanoseconds and how many of the I/Os failed.
 */
public record OpStats(long ios, long sectors, long nanos, long errors) {
    public static final OpStats ZERO = new OpStats(0, 0, 0, 0);

    /** Summed time in whole milliseconds, truncated as the kernel does. */
    public long millis() {
        return nanos / 1_000_000L;
    }

    public OpStats plus(OpStats other) {
        return new OpStats(ios + other.ios, sectors + other.sectors, nanos + other.nanos, errors + other.errors);
    }
}
