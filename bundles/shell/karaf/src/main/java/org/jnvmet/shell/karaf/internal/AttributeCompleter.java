package org.jnvmet.shell.karaf.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.Completions;

/** Attribute names of the object named by the command's first argument (PATH). */
@Service
public class AttributeCompleter extends CandidatesCompleter {
    @Reference
    ModelStore store;

    @Override
    List<String> candidates(CommandLine line) {
        List<String> before = positionalBeforeCursor(line);
        return before.isEmpty() ? List.of() : Completions.attributes(store.snapshot(), before.get(0));
    }
}
