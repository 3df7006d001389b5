package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.Output;

@Service
@Command(scope = "nvmet", name = "unlink", description = "Stops exporting a subsystem on a port",
        detailedDescription = "Hosts connected to the subsystem through this port are disconnected; the port stops listening when no subsystem is left.")
public class UnlinkCommand extends NvmetAction {
    @Argument(index = 0, name = "port", required = true, description = "Port id")
    @Completion(PortCompleter.class)
    String port;

    @Argument(index = 1, name = "subsys", required = true, description = "Subsystem NQN")
    @Completion(SubsystemCompleter.class)
    String subsystem;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).unlink(port, subsystem);
    }
}
