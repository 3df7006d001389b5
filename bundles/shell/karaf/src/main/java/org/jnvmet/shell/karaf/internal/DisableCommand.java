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
@Command(scope = "nvmet", name = "disable", description = "Disables a namespace, a subsystem's passthru or a referral (sets enable to 0)",
        detailedDescription = "A disabled namespace closes its backing device and disappears from connected hosts.")
public class DisableCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = true,
            description = "subsystems/<nqn>/namespaces/<nsid>, subsystems/<nqn>/passthru or ports/<id>/referrals/<name>")
    @Completion(SwitchableCompleter.class)
    String path;

    @Reference
    ModelStore store;

    @Override
    Output run() {
        return new ConfigCommands(store, null).enable(path, false);
    }
}
