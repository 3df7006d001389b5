package org.jnvmet.backend.ns.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct memory that RAM namespaces of one factory may hold together. RAM chunks come from the same direct memory
 * as the transports' network buffers, so an unbounded RAM disk could starve the network; writes that would exceed
 * the budget fail with Capacity Exceeded instead.
 */
public final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memory limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    boolean tryReserve(long bytes) {
        long current;
        do {
            current = used.get();
            if (current > limit - bytes) {
                return false;
            }
        } while (!used.compareAndSet(current, current + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
