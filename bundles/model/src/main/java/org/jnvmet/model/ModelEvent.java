package org.jnvmet.model;

import java.util.Set;

/**
 * One committed transaction.
 *
 * @param before          the tree before
 * @param after           the tree now in force
 * @param changedObjects  paths of objects created, deleted, or whose attributes or links changed
 *                        (e.g. {@code subsystems/<nqn>/passthru}, {@code hosts/<nqn>}, {@code ports/1})
 * @param source          what caused it
 */
public record ModelEvent(ModelSnapshot before, ModelSnapshot after, Set<String> changedObjects, Source source) {
    public ModelEvent {
        changedObjects = Set.copyOf(changedObjects);
    }

    public enum Source {
        /** Loaded when the store started. */
        START,
        /** A ModelStore call (shell, JMX, embedder). */
        API,
        /** The watched configuration file changed. */
        FILE
    }

    /** True when the object at {@code path} or anything below it changed. */
    public boolean touches(String path) {
        String prefix = path.endsWith("/") ? path : path + "/";
        return changedObjects.stream().anyMatch(p -> p.equals(path) || p.startsWith(prefix));
    }
}
