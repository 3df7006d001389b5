package org.jnvmet.spi.transport;

/** An enabled port's listener. Closing it stops accepting and closes the port's connections. */
public interface TransportListener extends AutoCloseable {
    /** The address actually bound, e.g. with the ephemeral port number resolved, for discovery log entries. */
    String boundTraddr();

    String boundTrsvcid();

    @Override
    void close();
}
