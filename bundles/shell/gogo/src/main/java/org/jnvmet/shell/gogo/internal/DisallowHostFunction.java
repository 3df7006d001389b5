package org.jnvmet.shell.gogo.internal;

import org.apache.felix.service.command.Function;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code nvmet:disallow-host SUBSYS HOST}. */
@Component(service = Function.class, property = {"osgi.command.scope=nvmet", "osgi.command.function=disallow-host"})
public final class DisallowHostFunction extends HostAccessFunction {
    @Activate
    public DisallowHostFunction(@Reference(name = "store") ModelStore store) {
        super(store, "disallow-host");
    }

    @Override
    Output apply(ConfigCommands commands, String subsystem, String host) {
        return commands.disallowHost(subsystem, host);
    }

    @Override
    String description() {
        return "Stops a host from connecting to a subsystem (unlinks allowed_hosts; the host object stays)";
    }
}
