package org.jnvmet.api;

import java.util.List;

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
}
