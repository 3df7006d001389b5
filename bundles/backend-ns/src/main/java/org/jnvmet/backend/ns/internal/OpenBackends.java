package org.jnvmet.backend.ns.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnvmet.spi.backend.BlockBackend;

/** The backends a factory opened and that are not closed yet, so that the factory's deactivation closes them. */
final class OpenBackends<B extends BlockBackend> {
    private final Set<B> open = ConcurrentHashMap.newKeySet();

    void add(B backend) {
        open.add(backend);
    }

    void remove(B backend) {
        open.remove(backend);
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        List<B> snapshot = new ArrayList<>(open);
        for (B backend : snapshot) {
            backend.close();
        }
    }
}
