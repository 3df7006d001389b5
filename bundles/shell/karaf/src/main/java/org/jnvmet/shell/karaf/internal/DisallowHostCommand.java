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
@Command(scope = "nvmet", name = "disallow-host", description = "Stops a host from connecting to a subsystem (unlinks allowed_hosts)",
        detailedDescription = "The host object stays in hosts/ for other subsystems; delete it with nvmet:delete hosts/<hostnqn>.")
public class DisallowHostCommand extends NvmetAction {
    @Argument(index = 0, name = "subsys", required = true, description = "Subsystem NQN")
    @Completion(SubsystemCompleter.class)
    String subsystem;

    @Argument(index = 1, name = "host", required = true, description = "Host NQN")
    @Completion(HostCompleter.class)
    String host;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).disallowHost(subsystem, host);
    }
}
