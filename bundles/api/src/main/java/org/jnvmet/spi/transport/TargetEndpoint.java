package org.jnvmet.spi.transport;

/** What the core gives a transport for one enabled port: accepted connections become queues here. */
public interface TargetEndpoint {
    QueueSession openQueue(TransportQueue queue);

    /** The port this endpoint serves. */
    PortAddress port();
}
