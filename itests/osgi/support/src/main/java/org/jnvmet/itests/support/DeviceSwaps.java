package org.jnvmet.itests.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts replacements of a device whose contents do not survive them (a RAM-backed emulated controller whose bundle
 * is updated): {@link #begin()} before the replacement starts, {@link #end()} once the new device serves. A
 * {@link VerifiedWorkload} accepts that every acknowledged block reads back as zeroes only if a replacement began
 * after its last verification that found all of them intact.
 */
public final class DeviceSwaps {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    public void begin() {
        started.incrementAndGet();
    }

    public void end() {
        completed.incrementAndGet();
    }

    long started() {
        return started.get();
    }

    long completed() {
        return completed.get();
    }
}
