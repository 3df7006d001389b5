package org.jnvmet.accounting.internal;

import java.util.concurrent.atomic.LongAdder;

import org.jnvmet.accounting.OpStats;

/** Striped totals of one operation kind; updates are lock-free and allocation-free once cells exist. */
final class OpCounters {
    private final LongAdder ios = new LongAdder();
    private final LongAdder sectors = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** The kernel counts a failed request's I/O, sectors and time too (blk_account_io_done); we add an error count. */
    void record(long sectorCount, long durationNanos, boolean error) {
        ios.increment();
        if (sectorCount > 0) {
            sectors.add(sectorCount);
        }
        nanos.add(durationNanos);
        if (error) {
            errors.increment();
        }
    }

    long nanos() {
        return nanos.sum();
    }

    OpStats snapshot() {
        return new OpStats(ios.sum(), sectors.sum(), nanos.sum(), errors.sum());
    }

    void reset() {
        ios.reset();
        sectors.reset();
        nanos.reset();
        errors.reset();
    }
}
