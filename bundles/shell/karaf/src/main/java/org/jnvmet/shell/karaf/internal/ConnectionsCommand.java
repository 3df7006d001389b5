package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.shell.ConnectionsReport;
import org.jnvmet.shell.Output;

@Service
@Command(scope = "nvmet", name = "connections", description = "Lists the connected controllers",
        detailedDescription = "One line per controller: subsystem, host NQN, controller id, port, connected I/O "
                + "queues, keep-alive timeout, CSTS.RDY and the admin queue's peer address.")
public class ConnectionsCommand extends NvmetAction {
    @Argument(index = 0, name = "subsys", required = false, description = "Only this subsystem's controllers")
    @Completion(SubsystemCompleter.class)
    String subsystem;

    @Option(name = "-v", aliases = "--verbose", description = "Also show the host identifier (hostid)")
    boolean verbose;

    @Reference(optional = true)
    NvmeTarget target;

    @Override
    Output run() {
        return new ConnectionsReport(require(target, "the jnvmet target")).report(subsystem, verbose);
    }
}
