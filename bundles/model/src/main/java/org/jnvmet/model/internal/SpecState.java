package org.jnvmet.model.internal;

import java.util.Map;
import java.util.TreeMap;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;

/** What the running target holds, in its own terms: the objects a tree maps to through {@link SpecMapper}. */
record SpecState(String discoveryNqn, Map<String, SubsystemSpec> subsystems,
        Map<String, Map<Integer, NamespaceSpec>> namespaces, Map<Integer, PortSpec> ports) {

    static SpecState empty(String discoveryNqn) {
        return new SpecState(discoveryNqn, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    Map<Integer, NamespaceSpec> namespacesOf(String nqn) {
        return namespaces.getOrDefault(nqn, Map.of());
    }
}
