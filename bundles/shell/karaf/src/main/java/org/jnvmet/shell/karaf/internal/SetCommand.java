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
@Command(scope = "nvmet", name = "set", description = "Sets an attribute of an object",
        detailedDescription = "The change is validated, applied to the running target and saved as one "
                + "transaction; a refused value prints the field and the reason, and the previous configuration "
                + "stays. Example: nvmet:set ports/1 addr_traddr 192.168.1.10")
public class SetCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true, description = "Object, e.g. subsystems/<nqn>/namespaces/1")
    @Completion(PathCompleter.class)
    String path;

    @Argument(index = 1, name = "attr", required = true, description = "Attribute, e.g. device_path")
    @Completion(AttributeCompleter.class)
    String attr;

    @Argument(index = 2, name = "value", required = true, description = "New value (quote it if it has spaces)")
    String value;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).set(path, attr, value);
    }
}
