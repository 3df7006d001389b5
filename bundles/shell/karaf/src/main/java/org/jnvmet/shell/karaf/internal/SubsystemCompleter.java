package org.jnvmet.shell.karaf.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.Completions;

/** Subsystem NQNs. */
@Service
public class SubsystemCompleter extends CandidatesCompleter {
    @Reference
    ModelStore store;

    @Override
    List<String> candidates(CommandLine line) {
        return Completions.subsystems(store.snapshot());
    }
}
