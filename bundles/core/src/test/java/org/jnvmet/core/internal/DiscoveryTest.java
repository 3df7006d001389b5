package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.ReferralSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.PortAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private static final String DISC = NvmeTarget.DEFAULT_DISCOVERY_NQN;
    private static final String PRIVATE = "nqn.2024-01.org.jnvmet:private";
    private final TargetFixture t = new TargetFixture();

    @AfterEach
    void close() {
        t.close();
    }

    private TestHost discoveryHost() {
        TestHost h = t.host();
        Response r = h.connect(0, DISC, TestHost.HOSTNQN, 31, 0, 0, 0xFFFF);
        assertEquals(0, r.status());
        // Like nvme-cli: CC without queue entry sizes is fine on a discovery controller.
        assertEquals(0, h.propertySet(ControllerRegisters.CC, ControllerRegisters.CC_EN).status());
        return h;
    }

    private static ByteBuf log(Response r) {
        assertEquals(0, r.status(), () -> Status.toString(r.status()));
        return Unpooled.wrappedBuffer(r.data());
    }

    @Test
    void identifyAndDefaults() {
        TestHost h = discoveryHost();
        Response id = h.identify(IdentifyCns.CONTROLLER, 0);
        ByteBuf b = Unpooled.wrappedBuffer(id.data());
        assertEquals(IdentifyController.CNTRLTYPE_DISCOVERY, b.getUnsignedByte(IdentifyController.CNTRLTYPE));
        assertEquals(DISC, IdentifyController.subsystemNqn(b));
        assertEquals(0, b.getUnsignedByte(IdentifyController.MDTS));
        assertEquals(1 << 31, b.getIntLE(IdentifyController.OAES));
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE, h.identify(IdentifyCns.NAMESPACE, 1).status());
        assertEquals(120_000, h.getFeatures(FeatureId.KEEP_ALIVE_TIMER, 0, 0).result(), "KATO 0 becomes 120 s");
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.getFeatures(FeatureId.NUMBER_OF_QUEUES, 0, 0).status());
        assertEquals(Status.INVALID_OPCODE | Status.DNR | Status.MORE, h.exec(TestHost.sqe(0x08)).status(),
                "no Abort on discovery controllers");
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.getLogPage(LogPageId.SMART_HEALTH, 0, 512, 0, false).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 2, false).status(), "offset not dword aligned");
    }

    @Test
    void notReadyIsInvalidOpcode() {
        TestHost h = t.host();
        h.connectAdmin(DISC);
        assertEquals(Status.INVALID_OPCODE | Status.DNR | Status.MORE, h.identify(IdentifyCns.CONTROLLER, 0).status());
    }

    @Test
    void logListsAllowedSubsystemsOfThePortAndReferrals() {
        t.engine.putSubsystem(SubsystemSpec.of(PRIVATE).withAllowedHosts(false, List.of("nqn.2024-01.org.x:other")));
        PortAddress a = new PortAddress(1, "tcp", "ipv4", "127.0.0.1", "4420", 0x04, -1, 128);
        ReferralSpec ref = new ReferralSpec("r1", "tcp", "ipv4", "10.0.0.9", "8009", 0, 7, true);
        t.engine.putPort(new PortSpec(a, List.of(TargetFixture.NQN, PRIVATE), List.of(ref)));
        TestHost h = discoveryHost();

        ByteBuf header = log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 0, false));
        assertEquals(3, DiscoveryLogPage.numrec(header), "self, the allowed subsystem, the referral");
        ByteBuf full = log(h.getLogPage(LogPageId.DISCOVERY, 0, 4096, 0, false));
        assertEquals(DiscoveryLogPage.genctr(header), DiscoveryLogPage.genctr(full));
        assertEquals(DiscoveryLogPage.SUBTYPE_CURRENT_DISCOVERY, DiscoveryLogPage.subtype(full, 0));
        assertEquals(DISC, DiscoveryLogPage.subnqn(full, 0));
        assertEquals(DiscoveryLogPage.SUBTYPE_NVME, DiscoveryLogPage.subtype(full, 1));
        assertEquals(TargetFixture.NQN, DiscoveryLogPage.subnqn(full, 1));
        assertEquals("127.0.0.1", DiscoveryLogPage.traddr(full, 1));
        assertEquals("4420", DiscoveryLogPage.trsvcid(full, 1));
        assertEquals(1, DiscoveryLogPage.portid(full, 1));
        int e1 = DiscoveryLogPage.entryOffset(1);
        assertEquals(DiscoveryLogPage.TRTYPE_TCP, full.getUnsignedByte(e1 + DiscoveryLogPage.TRTYPE));
        assertEquals(DiscoveryLogPage.ADRFAM_IPV4, full.getUnsignedByte(e1 + DiscoveryLogPage.ADRFAM));
        assertEquals(0x04, full.getUnsignedByte(e1 + DiscoveryLogPage.TREQ));
        assertEquals(0xFFFF, full.getUnsignedShortLE(e1 + DiscoveryLogPage.CNTLID));
        assertEquals(32, full.getUnsignedShortLE(e1 + DiscoveryLogPage.ASQSZ));
        assertEquals(DiscoveryLogPage.SUBTYPE_REFERRAL, DiscoveryLogPage.subtype(full, 2));
        assertEquals(DISC, DiscoveryLogPage.subnqn(full, 2));
        assertEquals("10.0.0.9", DiscoveryLogPage.traddr(full, 2));
        assertEquals(7, DiscoveryLogPage.portid(full, 2));

        ByteBuf second = log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 2048, false));
        assertEquals(TargetFixture.NQN, AsciiOf.nqn(second, DiscoveryLogPage.SUBNQN), "read from LPO");
        ByteBuf beyond = log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 1 << 20, false));
        assertEquals(0, beyond.getLongLE(0), "beyond the log: zeroes");
    }

    @Test
    void wildcardListenerReportsTheLocalAddress() {
        t.engine.putPort(PortSpec.tcp(2, "0.0.0.0", 4421, List.of(TargetFixture.NQN)));
        TestHost h = new TestHost(t.transport.endpoint(2));
        h.queue.localAddress = "192.168.7.7";
        h.connectAdmin(DISC);
        h.propertySet(ControllerRegisters.CC, ControllerRegisters.CC_EN);
        ByteBuf full = log(h.getLogPage(LogPageId.DISCOVERY, 0, 3072, 0, false));
        assertEquals("192.168.7.7", DiscoveryLogPage.traddr(full, 1));
        assertEquals("4421", DiscoveryLogPage.trsvcid(full, 1));
    }

    @Test
    void changesBumpGenctrAndRaiseTheEventWhenEnabled() {
        TestHost h = discoveryHost();
        long before = DiscoveryLogPage.genctr(log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 0, false)));
        assertNull(h.asyncEventRequest());
        t.engine.putSubsystem(SubsystemSpec.of(PRIVATE));
        t.engine.putPort(PortSpec.tcp(1, "127.0.0.1", 4420, List.of(TargetFixture.NQN, PRIVATE)));
        assertNull(h.queue.responses.poll(), "the discovery change event is off by default");
        long after = DiscoveryLogPage.genctr(log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 0, false)));
        assertTrue(after > before);

        assertEquals(0, h.setFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 1 << 31).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.setFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 1 << 8).status());
        t.engine.putPort(PortSpec.tcp(1, "127.0.0.1", 4420, List.of(TargetFixture.NQN)));
        Response aen = h.queue.responses.poll();
        assertNotNull(aen);
        assertEquals(0x70F002, aen.result());
        assertEquals(2, DiscoveryLogPage.numrec(log(h.getLogPage(LogPageId.DISCOVERY, 0, 1024, 0, false))));
    }

    @Test
    void ioQueueOnDiscoveryControllerIsRefused() {
        TestHost h = discoveryHost();
        int cntlid = (int) t.engine.controllers().get(0).cntlid();
        Response r = t.host().connect(1, DISC, TestHost.HOSTNQN, 31, 0, 0, cntlid);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, r.status());
        assertEquals(42, r.result());
        h.session.disconnected();
    }

    /** NUL terminated field at an offset. */
    static final class AsciiOf {
        static String nqn(ByteBuf b, int off) {
            return org.jnvmet.protocol.nvme.AsciiField.getNulTerminated(b, off, 256);
        }
    }
}
