package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
    private final TargetFixture t = new TargetFixture();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void portsFollowTheirTransport() {
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        PortStatus up = t.engine.portStatus().get(0);
        assertTrue(up.listening());
        assertNull(up.reason());

        t.engine.removeTransport(t.transport);
        PortStatus down = t.engine.portStatus().get(0);
        assertFalse(down.listening());
        assertEquals("transport tcp not registered", down.reason());
        assertEquals(1, t.transport.closes);

        t.engine.addTransport(t.transport);
        assertTrue(t.engine.portStatus().get(0).listening());
        assertEquals(2, t.transport.listens);
    }

    @Test
    void portWaitsForATransportAndForSubsystems() {
        t.engine.putPort(PortSpec.loop(5, List.of()));
        PortStatus idle = t.engine.portStatus().get(1);
        assertEquals("no subsystems linked", idle.reason());
        t.engine.putPort(PortSpec.loop(5, List.of(TargetFixture.NQN)));
        assertEquals("transport loop not registered", t.engine.portStatus().get(1).reason());
        FakeTransport loop = new FakeTransport("loop");
        t.engine.addTransport(loop);
        assertTrue(t.engine.portStatus().get(1).listening());
        TestHost h = new TestHost(loop.endpoint(5), 0);
        h.connectAndEnable(TargetFixture.NQN);
        Response id = h.identify(IdentifyCns.CONTROLLER, 0);
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(id.data());
        assertEquals(4, b.getIntLE(IdentifyController.IOCCSZ), "no in-capsule data: 64 / 16");
        assertEquals(IdentifyController.SGLS_SUPPORTED, b.getIntLE(IdentifyController.SGLS));
        t.engine.removePort(5);
        assertTrue(h.queue.closed);
        assertEquals(1, t.engine.portStatus().size());
    }

    @Test
    void removingASubsystemDeletesItsControllersAndClosesBackends() {
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        TestRamBackend backend = t.ram.last;
        t.engine.removeSubsystem(TargetFixture.NQN);
        assertTrue(h.queue.closed);
        assertTrue(backend.closed);
        assertTrue(t.engine.controllers().isEmpty());
        assertTrue(t.engine.subsystems().isEmpty());
        assertFalse(t.engine.portStatus().get(0).listening(), "its only subsystem is gone");
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN));
        assertTrue(t.engine.portStatus().get(0).listening(), "the port's link resolves again");
    }

    @Test
    void invalidConfigurationNamesTheField() {
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> t.engine.putSubsystem(
                SubsystemSpec.of(TargetFixture.NQN).withAllowedHosts(true, List.of("nqn.2024-01.org.x:h"))));
        assertTrue(e.field().endsWith("attr_allow_any_host"), e.field());
        e = assertThrows(TargetConfigException.class, () -> t.engine.putSubsystem(
                SubsystemSpec.of(TargetFixture.NQN).withCntlidRange(10, 5)));
        assertTrue(e.field().endsWith("attr_cntlid_max"), e.field());
        e = assertThrows(TargetConfigException.class, () -> t.engine.putSubsystem(
                new SubsystemSpec(TargetFixture.NQN, true, "1.x", null, null, null, 0, 1, 0xFFEF, 128, null)));
        assertTrue(e.field().endsWith("attr_version"), e.field());
        e = assertThrows(TargetConfigException.class, () -> t.engine.putPort(
                PortSpec.tcp(2, "127.0.0.1", 4420, List.of("nqn.2024-01.org.jnvmet:missing"))));
        assertTrue(e.field().startsWith("ports/2/subsystems/"), e.field());
        e = assertThrows(TargetConfigException.class, () -> t.engine.putNamespace(TargetFixture.NQN,
                NamespaceSpec.of(3, "ram:" + Integer.MAX_VALUE + "0")));
        assertTrue(e.field().endsWith("namespaces/3/enable"), e.field());
        assertEquals(1, t.engine.namespaces(TargetFixture.NQN).size(), "the failed namespace was not kept");
        e = assertThrows(TargetConfigException.class, () -> t.engine.setDiscoveryNqn(TargetFixture.NQN));
        assertEquals("discovery_nqn", e.field());
    }

    @Test
    void namespaceWaitsForItsBackend() {
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(2, "/dev/whatever"));
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        assertEquals(0, io.netty.buffer.Unpooled.wrappedBuffer(h.identify(IdentifyCns.NAMESPACE, 2).data())
                .getLongLE(0), "not active without a backend");
        TestRamBackend.Factory any = new TestRamBackend.Factory() {
            @Override
            public boolean accepts(org.jnvmet.spi.backend.BackendSpec spec) {
                return true;
            }

            @Override
            public org.jnvmet.spi.backend.BlockBackend open(org.jnvmet.spi.backend.BackendSpec spec) {
                return new TestRamBackend(8192, 9);
            }
        };
        t.engine.addBackendFactory(any);
        assertEquals(16, io.netty.buffer.Unpooled.wrappedBuffer(h.identify(IdentifyCns.NAMESPACE, 2).data())
                .getLongLE(0));
    }

    @Test
    void configuredDiscoveryNqnIsAccepted() {
        t.engine.setDiscoveryNqn("nqn.2024-01.org.jnvmet:discovery");
        TestHost h = t.host();
        assertEquals(0, h.connect(0, "nqn.2024-01.org.jnvmet:discovery", TestHost.HOSTNQN, 31, 0, 0, 0xFFFF)
                .status());
        assertEquals(0, t.host().connect(0, "nqn.2014-08.org.nvmexpress.discovery", TestHost.HOSTNQN, 31, 0, 0,
                0xFFFF).status(), "the well-known NQN always reaches the discovery subsystem");
    }

    @Test
    void abortReportsNotAborted() {
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        Response r = h.exec(TestHost.sqe(AdminOpcode.ABORT));
        assertEquals(Status.SUCCESS, r.status());
        assertEquals(1, r.result() & 1, "bit 0: command not aborted");
    }
}
