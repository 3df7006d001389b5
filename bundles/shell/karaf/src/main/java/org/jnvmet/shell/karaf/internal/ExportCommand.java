package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigFiles;
import org.jnvmet.shell.Output;

@Service
@Command(scope = "nvmet", name = "export", description = "Writes the running configuration as nvmetcli JSON",
        detailedDescription = "The file can be loaded by nvmetcli restore on Linux or nvmet:import / nvmet:restore. "
                + "FILE - prints the JSON instead.")
public class ExportCommand extends NvmetAction {
    @Argument(index = 0, name = "file", required = true, description = "File to write, or - for the console")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "-f", aliases = "--force", description = "Overwrite an existing file")
    boolean force;

    @Reference
    ModelStore store;

    @Reference(optional = true)
    Session session;

    @Override
    Output run() {
        ConfigFiles files = new ConfigFiles(store);
        return "-".equals(file) ? files.exportText() : files.export(file(session, file), force);
    }
}
