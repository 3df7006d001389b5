package org.jnvmet.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.spi.transport.FabricsTransport;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;

/** A transport whose "connections" are FakeQueues opened by the test on the endpoint of a listening port. */
final class FakeTransport implements FabricsTransport {
    final String type;
    final List<TargetEndpoint> endpoints = new ArrayList<>();
    int listens;
    int closes;

    FakeTransport(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public int discoveryTrtype() {
        return DiscoveryLogPage.trtype(type);
    }

    @Override
    public TransportListener listen(TargetEndpoint endpoint) {
        listens++;
        endpoints.add(endpoint);
        return new TransportListener() {
            @Override
            public String boundTraddr() {
                return endpoint.port().traddr();
            }

            @Override
            public String boundTrsvcid() {
                return endpoint.port().trsvcid();
            }

            @Override
            public void close() {
                closes++;
                endpoints.remove(endpoint);
            }
        };
    }

    TargetEndpoint endpoint(int portId) {
        for (TargetEndpoint e : endpoints) {
            if (e.port().portId() == portId) {
                return e;
            }
        }
        throw new AssertionError("port " + portId + " is not listening");
    }
}
