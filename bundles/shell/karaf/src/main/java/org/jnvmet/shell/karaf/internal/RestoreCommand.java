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
@Command(scope = "nvmet", name = "restore", description = "Replaces the whole configuration with a saved one",
        detailedDescription = "Like nvmetcli restore: objects not in the file are removed. The file is validated "
                + "and applied as one transaction; if it is refused the running configuration stays.")
public class RestoreCommand extends NvmetAction {
    @Argument(index = 0, name = "file", required = false,
            description = "nvmetcli JSON file (default: the file nvmet:save writes)")
    @Completion(FileCompleter.class)
    String file;

    @Reference
    ModelStore store;

    @Reference(optional = true)
    Session session;

    @Override
    Output run() {
        return new ConfigFiles(store).restore(file == null ? null : file(session, file));
    }
}
