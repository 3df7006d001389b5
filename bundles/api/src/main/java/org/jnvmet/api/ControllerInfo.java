package org.jnvmet.api;

/**
 * A live controller as the shell's connections listing shows it.
 *
 * @param subsystemNqn  the subsystem (or discovery NQN)
 * @param cntlid        controller id
 * @param hostNqn       the host that connected
 * @param hostId        host identifier (UUID text)
 * @param portId        port it connected through
 * @param ioQueues      number of connected I/O queues
 * @param kato          keep-alive timeout in milliseconds (0: none)
 * @param ready         CSTS.RDY
 * @param peer          transport address of the admin queue's peer
 */
public record ControllerInfo(String subsystemNqn, int cntlid, String hostNqn, String hostId, int portId, int ioQueues,
        long kato, boolean ready, String peer) {
}
