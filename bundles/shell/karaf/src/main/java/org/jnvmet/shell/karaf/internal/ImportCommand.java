package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigFiles;
import org.jnvmet.shell.Output;

@Service
@Command(scope = "nvmet", name = "import", description = "Merges the hosts, subsystems and ports of an nvmetcli JSON "
        + "file into the running configuration",
        detailedDescription = "An object whose NQN or port id is already configured is replaced as a whole; "
                + "everything else is kept. All changes are one transaction: a refused file changes nothing. Use "
                + "nvmet:restore to replace the whole configuration.")
public class ImportCommand extends NvmetAction {
    @Argument(index = 0, name = "file", required = true, description = "nvmetcli JSON file")
    @Completion(FileCompleter.class)
    String file;

    @Reference
    ModelStore store;

    @Reference(optional = true)
    Session session;

    @Override
    Output run() {
        return new ConfigFiles(store).importFile(file(session, file));
    }
}
