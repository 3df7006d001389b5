package org.jnvmet.accounting.internal;

import org.jnvmet.accounting.SessionStats;
import org.jnvmet.spi.accounting.DeviceCounters.HostSession;
import org.jnvmet.spi.accounting.DeviceCounters.Op;

/** Counters of one controller (host NQN + cntlid) on one device; created once, handed to the core as a handle. */
final class SessionCounters implements HostSession {
    /** Sessions count only for the device that created them; a handle passed to another device is ignored. */
    final Device owner;
    final String hostNqn;
    final int cntlid;
    private final OpCounters[] ops = Device.newOpCounters();

    SessionCounters(Device owner, String hostNqn, int cntlid) {
        this.owner = owner;
        this.hostNqn = hostNqn;
        this.cntlid = cntlid;
    }

    void record(int op, long sectors, long durationNanos, boolean error) {
        ops[op].record(sectors, durationNanos, error);
    }

    SessionStats snapshot() {
        return new SessionStats(hostNqn, cntlid, ops[Op.READ.ordinal()].snapshot(),
                ops[Op.WRITE.ordinal()].snapshot(), ops[Op.DISCARD.ordinal()].snapshot(),
                ops[Op.FLUSH.ordinal()].snapshot());
    }

    void reset() {
        for (OpCounters c : ops) {
            c.reset();
        }
    }

    @Override
    public String toString() {
        return "HostSession[" + owner.name() + ", " + hostNqn + ", cntlid " + cntlid + "]";
    }
}
