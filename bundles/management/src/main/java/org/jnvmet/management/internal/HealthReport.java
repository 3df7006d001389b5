package org.jnvmet.management.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one health evaluation, independent of any health check framework: entries in the order they were
 * found, and the worst of their statuses. The statuses mirror the Felix Health Check ones.
 */
public final class HealthReport {
    /** Ordered from best to worst. */
    public enum Status { OK, WARN, TEMPORARILY_UNAVAILABLE, CRITICAL }

    public record Entry(Status status, String message) {
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(Status status, String message) {
        entries.add(new Entry(status, message));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The worst status of any entry; OK for none. */
    public Status status() {
        Status worst = Status.OK;
        for (Entry e : entries) {
            if (e.status().compareTo(worst) > 0) {
                worst = e.status();
            }
        }
        return worst;
    }

    @Override
    public String toString() {
        return status() + " " + entries;
    }
}
