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
@Command(scope = "nvmet", name = "create", description = "Creates a host, subsystem, namespace, port, referral or "
        + "ANA group",
        detailedDescription = "Examples: nvmet:create subsystems/nqn.2014-08.org.example:s1, "
                + "nvmet:create subsystems/<nqn>/namespaces/1, nvmet:create ports/1, "
                + "nvmet:create ports/1/referrals/r1, nvmet:create hosts/<hostnqn>.")
public class CreateCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true, description = "Path of the new object")
    @Completion(PathCompleter.class)
    String path;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).create(path);
    }
}
