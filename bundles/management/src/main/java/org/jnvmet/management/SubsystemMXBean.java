package org.jnvmet.management;

/**
 * One subsystem ({@code subsystems/<nqn>/}), registered as {@code org.jnvmet:type=Subsystem,nqn="..."}. Values are
 * those of the last refresh.
 */
public interface SubsystemMXBean {
    String getNqn();

    boolean isAllowAnyHost();

    String[] getAllowedHosts();

    /** attr_serial; null when derived. */
    String getSerial();

    /** attr_model; null for the default. */
    String getModel();

    /** attr_version; null for the default. */
    String getVersion();

    NamespaceInfo[] getNamespaces();

    int getNamespaceCount();

    int getEnabledNamespaceCount();

    /** Port IDs this subsystem is linked to. */
    int[] getPorts();

    int getControllerCount();

    /** passthru/device_path; null for a namespace subsystem. */
    String getPassthruDevicePath();

    boolean isPassthruEnabled();

    /** The passthru controller is open and serves hosts. */
    boolean isPassthruActive();

    /** Why an enabled passthru subsystem does not serve hosts; null otherwise. */
    String getPassthruReason();
}
