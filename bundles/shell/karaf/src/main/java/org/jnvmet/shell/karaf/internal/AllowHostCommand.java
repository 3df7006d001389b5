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
@Command(scope = "nvmet", name = "allow-host", description = "Lets a host connect to a subsystem (links allowed_hosts, creating hosts/<hostnqn> if needed)",
        detailedDescription = "Only subsystems with attr_allow_any_host=0 check allowed_hosts.")
public class AllowHostCommand extends NvmetAction {
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
        return new ConfigCommands(store, null).allowHost(subsystem, host);
    }
}
