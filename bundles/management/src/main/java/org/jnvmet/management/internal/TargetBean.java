package org.jnvmet.management.internal;

import org.jnvmet.management.TargetMXBean;

/** {@link TargetMXBean}: counts of the latest snapshot, and the refresh. */
final class TargetBean implements TargetMXBean {
    private final Runnable refresh;
    private final long intervalSeconds;
    private volatile TargetSnapshot snapshot;

    TargetBean(Runnable refresh, long intervalSeconds) {
        this.refresh = refresh;
        this.intervalSeconds = intervalSeconds;
    }

    void update(TargetSnapshot s) {
        snapshot = s;
    }

    @Override
    public String getDiscoveryNqn() {
        return snapshot.discoveryNqn();
    }

    @Override
    public int getPortCount() {
        return snapshot.ports().size();
    }

    @Override
    public int getListeningPortCount() {
        return (int) snapshot.ports().values().stream()
                .filter(p -> p.status() != null && p.status().listening()).count();
    }

    @Override
    public int getSubsystemCount() {
        return snapshot.subsystems().size();
    }

    @Override
    public int getControllerCount() {
        return snapshot.controllers().size();
    }

    @Override
    public String getLastRefresh() {
        return snapshot.taken().toString();
    }

    @Override
    public long getRefreshIntervalSeconds() {
        return intervalSeconds;
    }

    @Override
    public void refresh() {
        refresh.run();
    }
}
