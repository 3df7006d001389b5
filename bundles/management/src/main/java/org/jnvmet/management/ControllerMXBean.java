package org.jnvmet.management;

/**
 * A live controller, registered as {@code org.jnvmet:type=Controller,subsystem="...",cntlid=N} while it exists
 * (as of the last refresh).
 */
public interface ControllerMXBean {
    String getSubsystemNqn();

    int getCntlid();

    String getHostNqn();

    String getHostId();

    int getPortId();

    int getIoQueues();

    /** Keep-alive timeout in milliseconds; 0 for none. */
    long getKatoMillis();

    /** CSTS.RDY. */
    boolean isReady();

    /** Transport address of the admin queue's peer (host:port for TCP); null when unknown. */
    String getPeer();
}
