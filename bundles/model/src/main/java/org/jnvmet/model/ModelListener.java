package org.jnvmet.model;

/**
 * Told about every committed change, after the target applied it. Register as an OSGi service (whiteboard) or
 * through {@link ModelStore#addListener}. Called on the committing thread, in commit order; must not block.
 */
@FunctionalInterface
public interface ModelListener {
    void modelChanged(ModelEvent event);
}
