package org.jnvmet.shell.karaf.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.shell.Completions;

/** Accounting device names. */
@Service
public class DeviceCompleter extends CandidatesCompleter {
    @Reference(optional = true)
    AccountingService accounting;

    @Override
    List<String> candidates(CommandLine line) {
        return accounting == null ? List.of() : Completions.devices(accounting);
    }
}
