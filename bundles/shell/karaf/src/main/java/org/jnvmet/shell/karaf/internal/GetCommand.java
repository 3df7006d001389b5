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
@Command(scope = "nvmet", name = "get", description = "Shows an attribute's value, or all attributes of an object",
        detailedDescription = "nvmet:get subsystems/<nqn> lists every attribute with its effective value (defaults "
                + "included); nvmet:get subsystems/<nqn> attr_serial or nvmet:get subsystems/<nqn>/attr_serial "
                + "prints one value.")
public class GetCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true,
            description = "Object (e.g. ports/1) or attribute path (e.g. ports/1/addr_traddr)")
    @Completion(PathCompleter.class)
    String path;

    @Argument(index = 1, name = "attr", required = false, description = "Attribute of the object, e.g. attr_serial")
    @Completion(AttributeCompleter.class)
    String attr;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).get(path, attr);
    }
}
