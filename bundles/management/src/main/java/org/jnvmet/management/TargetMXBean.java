package org.jnvmet.management;

/**
 * The target as a whole, registered as {@code org.jnvmet:type=Target}: counts as of the last refresh, and the
 * refresh itself, which re-reads the target and adds and removes port, subsystem and controller MBeans.
 */
public interface TargetMXBean {
    String getDiscoveryNqn();

    int getPortCount();

    int getListeningPortCount();

    int getSubsystemCount();

    int getControllerCount();

    /** When the MBeans were last refreshed, ISO-8601. */
    String getLastRefresh();

    /** Seconds between periodic refreshes; 0 when only {@link #refresh()} refreshes. */
    long getRefreshIntervalSeconds();

    /** Re-reads the target now. */
    void refresh();
}
