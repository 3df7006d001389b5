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
@Command(scope = "nvmet", name = "save", description = "Saves the running configuration as nvmetcli JSON",
        detailedDescription = "Without FILE it goes to nvmet-saved.json in ${jnvmet.home}, else in Karaf's etc "
                + "directory; an existing file is replaced atomically. nvmet:restore loads it back. (The running "
                + "configuration is also persisted to the model store's own file on every change.)")
public class SaveCommand extends NvmetAction {
    @Argument(index = 0, name = "file", required = false, description = "File to write (default: nvmet-saved.json)")
    @Completion(FileCompleter.class)
    String file;

    @Reference
    ModelStore store;

    @Reference(optional = true)
    Session session;

    @Override
    Output run() {
        return new ConfigFiles(store).save(file == null ? null : file(session, file));
    }
}
