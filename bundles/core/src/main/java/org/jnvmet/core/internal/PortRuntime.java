package org.jnvmet.core.internal;

import java.util.List;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.ReferralSpec;
import org.jnvmet.spi.transport.FabricsTransport;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.spi.transport.TransportQueue;

/** A configured port: its spec, its listener while enabled, and the endpoint its transport hands queues to. */
final class PortRuntime implements TargetEndpoint {
    final TargetEngine engine;
    volatile PortSpec spec;
    /** Subsystems linked under ports/N/subsystems, resolved. Replaced as a whole under the config lock. */
    volatile List<Subsystem> linked = List.of();
    volatile TransportListener listener;
    volatile FabricsTransport transport;
    volatile String reason = "not enabled";

    PortRuntime(TargetEngine engine, PortSpec spec) {
        this.engine = engine;
        this.spec = spec;
    }

    int portId() {
        return spec.portId();
    }

    @Override
    public QueueSession openQueue(TransportQueue queue) {
        return new FabricsQueue(engine, this, queue);
    }

    @Override
    public PortAddress port() {
        return spec.address();
    }

    List<ReferralSpec> enabledReferrals() {
        return spec.referrals().stream().filter(ReferralSpec::enabled).toList();
    }

    /** param_max_queue_size, bounded like configfs (16..1024). */
    int maxQueueSize() {
        int q = spec.address().maxQueueSize();
        return q <= 0 ? 128 : Math.max(16, Math.min(1024, q));
    }
}
