package org.jnvmet.api;

import java.util.List;
import java.util.Map;
import org.jnvmet.spi.passthru.PassthruSpec;

/**
 * The running target's management interface, registered by the core as a service. The model store applies its
 * tree through it; tests and embedders may call it directly. Every {@code put} creates or updates one object
 * and leaves everything else untouched (hosts connected to other subsystems keep their connections). Invalid
 * input throws {@link TargetConfigException} naming the field, and leaves the target as it was.
 */
public interface NvmeTarget {
    /** The well-known discovery NQN unless configured: {@value}. */
    String DEFAULT_DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    void setDiscoveryNqn(String nqn);

    String discoveryNqn();

    void putSubsystem(SubsystemSpec spec);

    void removeSubsystem(String nqn);

    /** Creates or updates a namespace; {@link NamespaceSpec#enabled()} opens or closes its backend. */
    void putNamespace(String subsystemNqn, NamespaceSpec spec);

    void removeNamespace(String subsystemNqn, int nsid);

    /** Creates or updates a port with its linked subsystems and referrals; it listens while it has subsystems. */
    void putPort(PortSpec spec);

    void removePort(int portId);

    List<SubsystemSpec> subsystems();

    List<NamespaceSpec> namespaces(String subsystemNqn);

    List<PortSpec> ports();

    /** Ports and whether each is listening (a port waits while its transport is not registered). */
    List<PortStatus> portStatus();

    /** Live controllers, for the shell's connections listing and JMX. */
    List<ControllerInfo> controllers();

    // ---- passthru (configfs subsystems/<nqn>/passthru); defaults for targets without passthru support ----------

    /**
     * Creates or updates a subsystem's passthru group. The configfs rules apply: passthru and namespaces are mutually
     * exclusive; enabling needs a device_path and a subsystem without namespaces; device_path cannot change while
     * enabled (busy); one controller serves at most one subsystem. Timeouts, clear_ids and the admin allowlist may
     * change while enabled and apply to the next command.
     *
     * @throws TargetConfigException naming the refused field, e.g. {@code subsystems/<nqn>/passthru/device_path}
     */
    default void putPassthru(String subsystemNqn, PassthruSpec spec) {
        throw new TargetConfigException("subsystems/" + subsystemNqn + "/passthru",
                "passthru is not supported by this target");
    }

    /** Disables a subsystem's passthru (if enabled) and forgets its settings. */
    default void removePassthru(String subsystemNqn) {
    }

    /** Configured passthru groups keyed by subsystem NQN (enabled or not). */
    default Map<String, PassthruSpec> passthru() {
        return Map.of();
    }

    /**
     * A write of {@code passthru/enable}: enabling when already enabled, or without a device_path, is refused like
     * configfs refuses it (EINVAL); disabling a disabled group does nothing.
     */
    default void setPassthruEnabled(String subsystemNqn, boolean enable) {
        String field = "subsystems/" + subsystemNqn + "/passthru/enable";
        PassthruSpec current = passthru().get(subsystemNqn);
        if (current == null) {
            if (enable) {
                throw new TargetConfigException(field, "device_path is not set");
            }
            return;
        }
        if (current.enable() == enable) {
            if (enable) {
                throw new TargetConfigException(field, "passthru is already enabled");
            }
            return;
        }
        putPassthru(subsystemNqn, new PassthruSpec(current.devicePath(), enable, current.adminTimeoutMs(),
                current.ioTimeoutMs(), current.clearIds(), current.allowedAdminOpcodes()));
    }

    /** How each configured passthru group runs. */
    default List<PassthruStatus> passthruStatus() {
        return List.of();
    }
}
