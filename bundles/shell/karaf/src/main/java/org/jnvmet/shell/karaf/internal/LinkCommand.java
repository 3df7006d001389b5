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
@Command(scope = "nvmet", name = "link", description = "Exports a subsystem on a port (links ports/<port>/subsystems/<nqn>)",
        detailedDescription = "The port starts listening when its first subsystem is linked.")
public class LinkCommand extends NvmetAction {
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
        return new ConfigCommands(store, null).link(port, subsystem);
    }
}
