package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.UUID;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class IdentifyTest {
    private final TargetFixture t = new TargetFixture();
    private final TestHost h = t.host();

    @AfterEach
    void close() {
        t.close();
    }

    private static ByteBuf buf(Response r) {
        assertEquals(0, r.status(), () -> Status.toString(r.status()));
        assertNotNull(r.data());
        assertEquals(4096, r.data().length);
        return Unpooled.wrappedBuffer(r.data());
    }

    @Test
    void identifyControllerFields() {
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN).withIdentity("SER123", "jnvmet test", "9.9"));
        int cntlid = h.connectAndEnable(TargetFixture.NQN);
        ByteBuf id = buf(h.identify(IdentifyCns.CONTROLLER, 0));
        assertEquals("SER123", IdentifyController.serialNumber(id));
        assertEquals("jnvmet test", IdentifyController.modelNumber(id));
        assertEquals("9.9", IdentifyController.firmwareRevision(id));
        assertEquals(cntlid, IdentifyController.cntlid(id));
        assertEquals(0x00010300, id.getIntLE(IdentifyController.VER));
        assertEquals(8, id.getUnsignedByte(IdentifyController.MDTS));
        assertEquals(IdentifyController.CNTRLTYPE_IO, id.getUnsignedByte(IdentifyController.CNTRLTYPE));
        assertEquals(0x0B, id.getUnsignedByte(IdentifyController.CMIC));
        assertEquals(3, id.getUnsignedByte(IdentifyController.ACL));
        assertEquals(3, id.getUnsignedByte(IdentifyController.AERL));
        assertEquals(10, id.getUnsignedShortLE(IdentifyController.KAS));
        assertEquals(0x66, id.getUnsignedByte(IdentifyController.SQES));
        assertEquals(0x44, id.getUnsignedByte(IdentifyController.CQES));
        assertEquals(128, id.getUnsignedShortLE(IdentifyController.MAXCMD));
        assertEquals(1024, id.getIntLE(IdentifyController.NN));
        assertEquals(0x0D, id.getUnsignedShortLE(IdentifyController.ONCS), "compare, DSM, write zeroes");
        assertEquals(0, id.getUnsignedShortLE(IdentifyController.OACS));
        assertEquals(0, id.getUnsignedShortLE(IdentifyController.FUSES));
        assertEquals(1, id.getUnsignedByte(IdentifyController.VWC));
        assertEquals(0x41, id.getIntLE(IdentifyController.CTRATT));
        assertEquals(0x900, id.getIntLE(IdentifyController.OAES));
        assertEquals(IdentifyController.SGLS_SUPPORTED | IdentifyController.SGLS_OFFSET,
                id.getIntLE(IdentifyController.SGLS));
        assertEquals(TargetFixture.NQN, IdentifyController.subsystemNqn(id));
        assertEquals((64 + 16384) / 16, id.getIntLE(IdentifyController.IOCCSZ));
        assertEquals(1, id.getIntLE(IdentifyController.IORCSZ));
        assertEquals(0, id.getUnsignedShortLE(IdentifyController.ICDOFF));
        assertEquals(1, id.getUnsignedByte(IdentifyController.MSDBD));
    }

    @Test
    void serialIsGeneratedAndFixedAfterIdentify() {
        h.connectAndEnable(TargetFixture.NQN);
        String serial = IdentifyController.serialNumber(buf(h.identify(IdentifyCns.CONTROLLER, 0)));
        assertEquals(20, serial.length());
        assertEquals("Linux", IdentifyController.modelNumber(buf(h.identify(IdentifyCns.CONTROLLER, 0))));
        Executable change = () -> t.engine.putSubsystem(
                SubsystemSpec.of(TargetFixture.NQN).withIdentity("NEW", null, null));
        TargetConfigException e = org.junit.jupiter.api.Assertions.assertThrows(TargetConfigException.class, change);
        assertTrue(e.field().endsWith("attr_serial"));
    }

    @Test
    void identifyNamespaceAndLists() {
        UUID uuid = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        t.engine.putNamespace(TargetFixture.NQN,
                new NamespaceSpec(7, "ram:" + (64 * 4096), uuid, null, 3, true, false, 4096));
        h.connectAndEnable(TargetFixture.NQN);
        ByteBuf ns = buf(h.identify(IdentifyCns.NAMESPACE, 7));
        assertEquals(64, IdentifyNamespace.nsze(ns));
        assertEquals(64, IdentifyNamespace.ncap(ns));
        assertEquals(64, IdentifyNamespace.nuse(ns));
        assertEquals(12, IdentifyNamespace.lbaDataSizeShift(ns));
        assertEquals(0, ns.getUnsignedByte(IdentifyNamespace.NLBAF));
        assertEquals(IdentifyNamespace.NMIC_SHARED, ns.getUnsignedByte(IdentifyNamespace.NMIC));
        assertEquals(3, ns.getIntLE(IdentifyNamespace.ANAGRPID));
        byte[] nguid = new byte[16];
        ns.getBytes(IdentifyNamespace.NGUID, nguid);
        assertArrayEquals(Namespace.uuidBytes(uuid), nguid, "NGUID derived from the UUID");

        ByteBuf list = buf(h.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0));
        assertEquals(1, NamespaceIdList.get(list, 0));
        assertEquals(7, NamespaceIdList.get(list, 1));
        assertEquals(2, NamespaceIdList.count(list));
        ByteBuf after1 = buf(h.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 1));
        assertEquals(7, NamespaceIdList.get(after1, 0));
        assertEquals(1, NamespaceIdList.count(after1));

        ByteBuf desc = buf(h.identify(IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 7));
        assertArrayEquals(Namespace.uuidBytes(uuid), NamespaceIdDescriptor.find(desc, NamespaceIdDescriptor.NIDT_UUID));
        assertArrayEquals(nguid, NamespaceIdDescriptor.find(desc, NamespaceIdDescriptor.NIDT_NGUID));
        assertArrayEquals(new byte[] {0}, NamespaceIdDescriptor.find(desc, NamespaceIdDescriptor.NIDT_CSI));

        ByteBuf inactive = buf(h.identify(IdentifyCns.NAMESPACE, 9));
        assertEquals(0, IdentifyNamespace.nsze(inactive), "inactive NSID: all zeroes, success");
    }

    @Test
    void identifyErrors() {
        h.connectAndEnable(TargetFixture.NQN);
        int dnrMore = Status.DNR | Status.MORE;
        assertEquals(Status.INVALID_NS | dnrMore, h.identify(IdentifyCns.NAMESPACE, 0xFFFFFFFF).status());
        assertEquals(Status.INVALID_NS | dnrMore, h.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0xFFFFFFFE).status());
        assertEquals(Status.INVALID_NS | dnrMore, h.identify(IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 5).status());
        assertEquals(Status.INVALID_FIELD | dnrMore, h.identify(IdentifyCns.CS_CONTROLLER, 0, 2).status(), "ZNS");
        assertEquals(0, h.identify(IdentifyCns.CS_CONTROLLER, 0, 0).status());
        Response bad = h.identify(0x55, 0);
        assertEquals(Status.INVALID_FIELD | dnrMore, bad.status());

        // The error log has the last error first, with the byte of the CNS field.
        Response log = h.getLogPage(LogPageId.ERROR_INFORMATION, 0, 128, 0, false);
        ByteBuf e = Unpooled.wrappedBuffer(log.data());
        assertEquals(5, e.getLongLE(ErrorInformationLogEntry.ERROR_COUNT));
        assertEquals(bad.cid(), e.getUnsignedShortLE(ErrorInformationLogEntry.CID));
        assertEquals(0, e.getUnsignedShortLE(ErrorInformationLogEntry.SQID));
        assertEquals((Status.INVALID_FIELD | Status.DNR) << 1, e.getUnsignedShortLE(ErrorInformationLogEntry.STATUS_FIELD));
        assertEquals(ErrorLocation.CNS, e.getUnsignedShortLE(ErrorInformationLogEntry.PARAMETER_ERROR_LOCATION));
        assertEquals(4, e.getLongLE(64 + ErrorInformationLogEntry.ERROR_COUNT));

        // Wrong transfer length for Identify.
        io.netty.buffer.ByteBuf sqe = TestHost.sqe(0x06);
        org.jnvmet.protocol.nvme.IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
        TestHost.transportSgl(sqe, 4095);
        assertEquals(Status.SGL_INVALID_DATA | dnrMore, h.exec(sqe).status());
    }

    @Test
    void badNamespaceConfigurationIsRejected() {
        Executable zero = () -> t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(0, "ram:4096"));
        org.junit.jupiter.api.Assertions.assertThrows(TargetConfigException.class, zero);
        Executable all = () -> t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(0xFFFFFFFF, "ram:4096"));
        org.junit.jupiter.api.Assertions.assertThrows(TargetConfigException.class, all);
        Executable badNqn = () -> t.engine.putSubsystem(SubsystemSpec.of("iqn.2024-01.bad:x"));
        org.junit.jupiter.api.Assertions.assertThrows(TargetConfigException.class, badNqn);
        Executable longNqn = () -> t.engine.putSubsystem(SubsystemSpec.of("nqn.2024-01.org.x:" + "a".repeat(210)));
        org.junit.jupiter.api.Assertions.assertThrows(TargetConfigException.class, longNqn);
        t.engine.putSubsystem(SubsystemSpec.of("nqn.2014-08.org.nvmexpress:uuid:12345678-1234-1234-1234-123456789abc"));
    }
}
