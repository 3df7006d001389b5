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
@Command(scope = "nvmet", name = "enable", description = "Enables a namespace, a subsystem's passthru or a referral (sets enable to 1)",
        detailedDescription = "Enabling opens the backing device; if it cannot be opened the error names the field and the object stays disabled.")
public class EnableCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true,
            description = "subsystems/<nqn>/namespaces/<nsid>, subsystems/<nqn>/passthru or ports/<id>/referrals/<name>")
    @Completion(SwitchableCompleter.class)
    String path;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).enable(path, true);
    }
}
