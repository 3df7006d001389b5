package org.jnvmet.accounting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jnvmet.spi.accounting.DeviceCounters.Op;

/** One controller's (or, with {@link #ALL_CONTROLLERS}, one host's) I/O on a device. */
public record SessionStats(String hostNqn, int cntlid, OpStats read, OpStats write, OpStats discard,
        OpStats flush) {

    /** {@link #cntlid} of a per-host total from {@link #byHost}. */
    public static final int ALL_CONTROLLERS = -1;

    public OpStats op(Op op) {
        return switch (op) {
            case READ -> read;
            case WRITE -> write;
            case DISCARD -> discard;
            case FLUSH -> flush;
        };
    }

    /** Folds per-controller entries into one entry per host NQN (cntlid {@link #ALL_CONTROLLERS}), sorted by NQN. */
    public static List<SessionStats> byHost(Collection<SessionStats> sessions) {
        Map<String, SessionStats> hosts = new TreeMap<>();
        for (SessionStats s : sessions) {
            hosts.merge(s.hostNqn, new SessionStats(s.hostNqn, ALL_CONTROLLERS, s.read, s.write, s.discard, s.flush),
                    SessionStats::plus);
        }
        return new ArrayList<>(hosts.values());
    }

    private SessionStats plus(SessionStats o) {
        return new SessionStats(hostNqn, cntlid, read.plus(o.read), write.plus(o.write), discard.plus(o.discard),
                flush.plus(o.flush));
    }
}
