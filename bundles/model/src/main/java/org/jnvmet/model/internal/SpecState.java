package org.jnvmet.model.internal;

import java.util.Map;
import java.util.TreeMap;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.spi.passthru.PassthruSpec;

/**
 * What the running target holds, in its own terms: the objects a tree maps to through {@link SpecMapper}.
 * {@code passthru} holds the passthru groups with a device_path, keyed by subsystem NQN.
 */
record SpecState(String discoveryNqn, Map<String, SubsystemSpec> subsystems,
        Map<String, Map<Integer, NamespaceSpec>> namespaces, Map<Integer, PortSpec> ports,
        Map<String, PassthruSpec> passthru) {

    static SpecState empty(String discoveryNqn) {
        return new SpecState(discoveryNqn, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    Map<Integer, NamespaceSpec> namespacesOf(String nqn) {
        return namespaces.getOrDefault(nqn, Map.of());
    }
}
