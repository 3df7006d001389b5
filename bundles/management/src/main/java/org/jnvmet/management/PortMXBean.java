package org.jnvmet.management;

/**
 * One port ({@code ports/<portid>/}), registered as {@code org.jnvmet:type=Port,id=N}. Values are those of the
 * last refresh ({@link TargetMXBean#refresh()}, or the periodic one).
 */
public interface PortMXBean {
    int getPortId();

    /** addr_trtype: "tcp", "loop". */
    String getTrtype();

    String getAdrfam();

    /** The address listened on (the bound one while listening). */
    String getTraddr();

    /** The service id listened on (the bound TCP port while listening). */
    String getTrsvcid();

    boolean isListening();

    /** Why the port is not listening (e.g. "transport tcp not registered"); null while it listens. */
    String getReason();

    /** NQNs of the subsystems linked under {@code subsystems/}. */
    String[] getSubsystems();

    /** Live controllers connected through this port (discovery controllers included). */
    int getControllerCount();
}
