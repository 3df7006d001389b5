package org.jnvmet.shell.gogo.internal;

import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.Output;

/**
 * {@code nvmet:allow-host} and {@code nvmet:disallow-host}: Gogo calls a service implementing {@link Function}
 * directly, which is the only way to a function name that is not a Java identifier.
 */
abstract class HostAccessFunction implements Function {
    private final ModelStore store;
    private final String name;

    HostAccessFunction(ModelStore store, String name) {
        this.store = store;
        this.name = name;
    }

    abstract Output apply(ConfigCommands commands, String subsystem, String host);

    abstract String description();

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        if (arguments.size() == 1 && "--help".equals(String.valueOf(arguments.get(0)))) {
            return usage();
        }
        if (arguments.size() != 2) {
            throw new IllegalArgumentException(usage());
        }
        return Output.render(apply(new ConfigCommands(store, null), String.valueOf(arguments.get(0)),
                String.valueOf(arguments.get(1))));
    }

    String usage() {
        return "usage: nvmet:" + name + " SUBSYS HOST\n  " + description() + "\n";
    }
}
