package org.jnvmet.shell.gogo.internal;

import org.apache.felix.service.command.Function;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code nvmet:allow-host SUBSYS HOST}. */
@Component(service = Function.class, property = {"osgi.command.scope=nvmet", "osgi.command.function=allow-host"})
public final class AllowHostFunction extends HostAccessFunction {
    @Activate
    public AllowHostFunction(@Reference(name = "store") ModelStore store) {
        super(store, "allow-host");
    }

    @Override
    Output apply(ConfigCommands commands, String subsystem, String host) {
        return commands.allowHost(subsystem, host);
    }

    @Override
    String description() {
        return "Lets a host connect to a subsystem (links allowed_hosts, creating hosts/<hostnqn> if needed)";
    }
}
