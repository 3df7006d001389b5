package org.jnvmet.management;

import javax.management.ConstructorParameters;

/** One namespace of a subsystem as {@link SubsystemMXBean#getNamespaces()} lists it (a JMX CompositeData). */
public final class NamespaceInfo {
    private final int nsid;
    private final String devicePath;
    private final boolean enabled;
    private final String uuid;

    @ConstructorParameters({"nsid", "devicePath", "enabled", "uuid"})
    public NamespaceInfo(int nsid, String devicePath, boolean enabled, String uuid) {
        this.nsid = nsid;
        this.devicePath = devicePath;
        this.enabled = enabled;
        this.uuid = uuid;
    }

    public int getNsid() {
        return nsid;
    }

    /** device_path: a file, a block device or ram:SIZE. */
    public String getDevicePath() {
        return devicePath;
    }

    /** The namespace's configured enable. */
    public boolean isEnabled() {
        return enabled;
    }

    /** device_uuid; null when the target generates it. */
    public String getUuid() {
        return uuid;
    }
}
