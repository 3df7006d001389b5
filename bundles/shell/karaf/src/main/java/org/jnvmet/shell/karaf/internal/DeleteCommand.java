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
@Command(scope = "nvmet", name = "delete", description = "Deletes an object with everything it owns",
        detailedDescription = "Refused while other objects link to it (a subsystem linked to a port, a host "
                + "allowed on a subsystem): unlink it first.")
public class DeleteCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true, description = "Object to delete, e.g. ports/2")
    @Completion(PathCompleter.class)
    String path;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).delete(path);
    }
}
