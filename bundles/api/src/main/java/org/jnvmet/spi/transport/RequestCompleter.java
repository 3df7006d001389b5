package org.jnvmet.spi.transport;

/** Receives a finished command: the core's post-processing step between a backend and the transport. */
@FunctionalInterface
public interface RequestCompleter {
    void completed(NvmeRequest request);
}
