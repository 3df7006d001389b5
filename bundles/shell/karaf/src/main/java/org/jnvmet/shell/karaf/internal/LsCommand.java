package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.ConfigTree;
import org.jnvmet.shell.Output;

@Service
@Command(scope = "nvmet", name = "ls", description = "Shows the target configuration as a tree, like nvmetcli ls",
        detailedDescription = "Hosts, subsystems with their namespaces, allowed hosts and passthru, and ports with "
                + "their ANA groups, referrals and linked subsystems; each line ends with a summary in brackets "
                + "(ports also show whether they are listening).")
public class LsCommand extends NvmetAction {
    @Argument(index = 0, name = "path", required = false,
            description = "Object or group to start from, e.g. subsystems/<nqn> (default: the whole tree)")
    @Completion(PathCompleter.class)
    String path;

    @Reference
    ModelStore store;

    @Reference(optional = true)
    NvmeTarget target;

    @Reference(optional = true)
    Session session;

    @Override
    Output run() {
        return new ConfigCommands(store, target).ls(path, width());
    }

    private int width() {
        Terminal terminal = session == null ? null : session.getTerminal();
        return terminal != null && terminal.getWidth() > 0 ? terminal.getWidth() : ConfigTree.DEFAULT_WIDTH;
    }
}
