package org.jnvmet.core.internal;

import java.util.List;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;

/** One engine with a fake TCP transport, a RAM backend factory, subsystem {@link #NQN} (ns 1, 1 MiB) on port 1. */
final class TargetFixture implements AutoCloseable {
    static final String NQN = "nqn.2024-01.org.jnvmet:test";
    static final int NS_SIZE = 1 << 20;

    final TargetEngine engine = new TargetEngine(8, "0.1.0");
    final FakeTransport transport = new FakeTransport("tcp");
    final TestRamBackend.Factory ram = new TestRamBackend.Factory();

    TargetFixture() {
        engine.addTransport(transport);
        engine.addBackendFactory(ram);
        engine.putSubsystem(SubsystemSpec.of(NQN));
        engine.putNamespace(NQN, NamespaceSpec.of(1, "ram:" + NS_SIZE));
        engine.putPort(PortSpec.tcp(1, "127.0.0.1", 4420, List.of(NQN)));
    }

    TestHost host() {
        return new TestHost(transport.endpoint(1));
    }

    @Override
    public void close() {
        engine.close();
    }
}
