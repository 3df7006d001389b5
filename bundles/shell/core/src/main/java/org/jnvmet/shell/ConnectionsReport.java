package org.jnvmet.shell;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NvmeTarget;

/** {@code nvmet:connections}: the target's live controllers. */
public final class ConnectionsReport {
    private static final Comparator<ControllerInfo> ORDER = Comparator.comparing(ControllerInfo::subsystemNqn)
            .thenComparingInt(ControllerInfo::cntlid);

    private final NvmeTarget target;

    public ConnectionsReport(NvmeTarget target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * One row per controller, ordered by subsystem and controller id.
     *
     * @param subsystemNqn only this subsystem's controllers; all when null or empty
     * @param verbose      adds the host identifier
     */
    public Table table(String subsystemNqn, boolean verbose) {
        Table t = verbose
                ? Table.of(Table.left("Subsystem"), Table.left("Host NQN"), Table.left("Host ID"),
                        Table.right("Cntlid"), Table.right("Port"), Table.right("I/O queues"),
                        Table.right("Keep-alive"), Table.left("Ready"), Table.left("Peer"))
                : Table.of(Table.left("Subsystem"), Table.left("Host NQN"), Table.right("Cntlid"),
                        Table.right("Port"), Table.right("I/O queues"), Table.right("Keep-alive"),
                        Table.left("Ready"), Table.left("Peer"));
        String filter = subsystemNqn == null ? "" : subsystemNqn.trim();
        List<ControllerInfo> controllers = target.controllers().stream()
                .filter(c -> filter.isEmpty() || c.subsystemNqn().equals(filter))
                .sorted(ORDER).toList();
        for (ControllerInfo c : controllers) {
            String kato = c.kato() == 0 ? "off" : c.kato() + " ms";
            String ready = c.ready() ? "yes" : "no";
            if (verbose) {
                t.addRow(c.subsystemNqn(), c.hostNqn(), c.hostId(), c.cntlid(), c.portId(), c.ioQueues(), kato,
                        ready, c.peer());
            } else {
                t.addRow(c.subsystemNqn(), c.hostNqn(), c.cntlid(), c.portId(), c.ioQueues(), kato, ready, c.peer());
            }
        }
        return t;
    }

    public Output report(String subsystemNqn, boolean verbose) {
        return Output.table(table(subsystemNqn, verbose));
    }
}
