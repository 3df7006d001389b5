package org.jnvmet.spi.backend;

import java.io.IOException;

/**
 * Opens namespace backends of one kind, registered as a service (property {@code jnvmet.backend}: "ram", "file",
 * "bdev"). When the service goes away the namespaces it opened are disabled and re-enabled when it returns.
 */
public interface BlockBackendFactory {
    String BACKEND_PROPERTY = "jnvmet.backend";

    /** The backend kind this factory opens. */
    String kind();

    /** Whether this factory can serve the device path (e.g. "file" takes regular files, "bdev" block devices). */
    boolean accepts(BackendSpec spec);

    BlockBackend open(BackendSpec spec) throws IOException;
}
