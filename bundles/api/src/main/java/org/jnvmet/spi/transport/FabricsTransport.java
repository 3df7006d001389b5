package org.jnvmet.spi.transport;

import java.io.IOException;

/**
 * A fabrics transport, registered as a service (property {@code jnvmet.trtype}). The core enables a port of the
 * transport's type by calling {@link #listen}; when the transport service goes away, every port on it goes down
 * and comes back when a transport of that type is registered again.
 */
public interface FabricsTransport {
    /** Service property naming the transport type, e.g. "tcp". */
    String TRTYPE_PROPERTY = "jnvmet.trtype";

    /** The configfs {@code addr_trtype} value this transport serves, e.g. "tcp" or "loop". */
    String type();

    /** The Discovery Log Page TRTYPE value: 3 for TCP, 254 for loop (intra-host). */
    int discoveryTrtype();

    /** Opens a listener for a port; connections it accepts are handed to {@code endpoint}. */
    TransportListener listen(TargetEndpoint endpoint) throws IOException;
}
