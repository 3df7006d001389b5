package org.jnvmet.accounting.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that only moves when told to. */
final class ManualClock implements LongSupplier {
    /** Not 0, so code that treats 0 as "unset" would show up. */
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(long amount, TimeUnit unit) {
        now.addAndGet(unit.toNanos(amount));
    }

    void advanceMillis(long millis) {
        advance(millis, TimeUnit.MILLISECONDS);
    }
}
