package org.jnvmet.transport.loop;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jnvmet.spi.transport.FabricsTransport;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.transport.loop.internal.LoopPort;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Target side of the loopback transport (configfs {@code addr_trtype} "loop", discovery TRTYPE 254). Each enabled
 * loop port is reachable from the same JVM through {@link LoopHostTransport#connect}. Like Linux's nvme-loop it
 * offers no in-capsule data (IOCCSZ 4): data always moves through the transport, here as shared buffers.
 */
@Component(service = {FabricsTransport.class, LoopbackTransport.class}, property = FabricsTransport.TRTYPE_PROPERTY + "=" + LoopbackTransport.TYPE)
public final class LoopbackTransport implements FabricsTransport {
    /** The configfs transport type name. */
    public static final String TYPE = "loop";
    /** Discovery Log Page TRTYPE for intra-host transports (NVMe over Fabrics 1.1, Figure 38). */
    public static final int DISCOVERY_TRTYPE = 254;

    private final ConcurrentMap<Integer, LoopPort> ports = new ConcurrentHashMap<>();

    @Activate
    public LoopbackTransport() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int discoveryTrtype() {
        return DISCOVERY_TRTYPE;
    }

    @Override
    public TransportListener listen(TargetEndpoint endpoint) throws IOException {
        int portId = endpoint.port().portId();
        LoopPort port = new LoopPort(endpoint, p -> ports.remove(portId, p));
        if (ports.putIfAbsent(portId, port) != null) {
            throw new IOException("loop port " + portId + " is already listening");
        }
        return port;
    }

    /** Closes every port (and so every loopback connection): the transport service is going away. */
    @Deactivate
    public void deactivate() {
        for (LoopPort port : ports.values()) {
            port.close();
        }
    }

    /** The listening port with this id, or null. */
    LoopPort port(int portId) {
        return ports.get(portId);
    }
}
