package org.jnvmet.core.it.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.passthru.emulated.EmulatedControllerConfig;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.host.IdentifyControllerData;
import org.jnvmet.host.NamespaceIdentifier;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identify data of a passthru controller as a host reads it over the loopback wire, byte for byte against the
 * emulated controller's own: the device's identity shows through (blktests nvme/033), the fields the fabrics
 * controller owns are the target's, nothing else changes.
 */
class PassthruIdentifyTest {
    static final String OLD_NQN = "nqn.2024-01.org.jnvmet:passthru-old-device";
    /** Identify Controller fields the target rewrites: offset, length. */
    static final int[][] TARGET_OWNED = {{IdentifyController.CMIC, 1}, {IdentifyController.MDTS, 1},
        {IdentifyController.CNTLID, 2}, {IdentifyController.VER, 4}, {IdentifyController.ACL, 1},
        {IdentifyController.AERL, 1}, {IdentifyController.HMPRE, 4}, {IdentifyController.HMMIN, 4},
        {IdentifyController.KAS, 2}, {IdentifyController.SQES, 1}, {IdentifyController.CQES, 1},
        {IdentifyController.MAXCMD, 2}, {IdentifyController.ONCS, 2}, {IdentifyController.FUSES, 2},
        {IdentifyController.SGLS, 4}, {IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH},
        {IdentifyController.IOCCSZ, 4}, {IdentifyController.IORCSZ, 4}, {IdentifyController.MSDBD, 1},
        {IdentifyController.OAES, 4}};

    static PassthruLoopTarget target;
    static HostController host;

    @BeforeAll
    static void start() throws Exception {
        target = new PassthruLoopTarget("identify");
        host = target.connect();
    }

    @AfterAll
    static void stop() {
        host.close();
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    private static boolean owned(int[][] fields, int offset) {
        for (int[] f : fields) {
            if (offset >= f[0] && offset < f[0] + f[1]) {
                return true;
            }
        }
        return false;
    }

    /** param_max_queue_size of the loop port. */
    private static int maxQueueSize() {
        return target.core.ports().get(0).address().maxQueueSize();
    }

    private static byte[] bytes(ByteBuf b, int off, int len) {
        return ByteBufUtil.getBytes(b, off, len);
    }

    @Test
    void capAndVersionAreThePassthruOnes() throws Exception {
        long cap = host.capabilities();
        assertEquals(maxQueueSize() - 1, ControllerRegisters.capMqes(cap), "MQES from the port's queue size");
        assertEquals(15, ControllerRegisters.capTimeout(cap));
        assertEquals(ControllerRegisters.CAP_CSS_NVM, cap & ControllerRegisters.CAP_CSS_NVM);
        assertEquals(0, cap & ControllerRegisters.CAP_CSS_IO_COMMAND_SETS,
                "bit 43 cleared: the device runs the NVM command set only");
        assertEquals(ControllerRegisters.version(1, 4, 0), host.version(), "VS is the device's 1.4");
    }

    @Test
    void anOldDeviceIsRaisedToVersion121AndKeepsItsCommandSets() throws Exception {
        target.registry.create("old", EmulatedControllerConfig.defaults("old")
                .withVersion(ControllerRegisters.version(1, 1, 0)).withMultipleCommandSets(true));
        target.core.putSubsystem(SubsystemSpec.of(OLD_NQN));
        target.core.putPassthru(OLD_NQN, PassthruSpec.of("emulated:old"));
        target.core.putPort(PortSpec.loop(PassthruLoopTarget.PORT, List.of(PassthruLoopTarget.NQN, OLD_NQN)));
        try (HostController old = target.connect(target.options().withSubsystem(OLD_NQN))) {
            assertEquals(ControllerRegisters.version(1, 2, 1), old.version());
            assertEquals(ControllerRegisters.version(1, 2, 1), old.identifyController().version());
            assertEquals(ControllerRegisters.CAP_CSS_IO_COMMAND_SETS,
                    old.capabilities() & ControllerRegisters.CAP_CSS_IO_COMMAND_SETS);
        } finally {
            target.core.removeSubsystem(OLD_NQN);
        }
    }

    @Test
    void identifyControllerFieldByField() throws Exception {
        ByteBuf dev = target.directIdentify(IdentifyCns.CONTROLLER, 0);
        IdentifyControllerData id = host.identifyController();
        ByteBuf got = Unpooled.wrappedBuffer(id.bytes());
        assertEquals(IdentifyController.SIZE, got.readableBytes());

        // blktests nvme/033: VID, SN, MN, FR are the device's
        assertEquals(dev.getUnsignedShortLE(IdentifyController.VID), id.vid());
        assertArrayEquals(bytes(dev, IdentifyController.SN, IdentifyController.SN_LENGTH), id.serialNumberField());
        assertArrayEquals(bytes(dev, IdentifyController.MN, IdentifyController.MN_LENGTH), id.modelNumberField());
        assertArrayEquals(bytes(dev, IdentifyController.FR, IdentifyController.FR_LENGTH),
                id.firmwareRevisionField());
        // ... and so is every byte the target does not own (OACS, CTRATT, NN, VWC, TNVMCAP, PSDs, ...)
        List<Integer> differing = new ArrayList<>();
        for (int off = 0; off < IdentifyController.SIZE; off++) {
            if (!owned(TARGET_OWNED, off) && dev.getByte(off) != got.getByte(off)) {
                differing.add(off);
            }
        }
        assertEquals(List.of(), differing, "bytes the target must pass through unchanged");

        // the fabrics controller's own fields
        assertEquals(host.cntlid(), id.cntlid());
        assertNotEquals(dev.getUnsignedShortLE(IdentifyController.CNTLID), id.cntlid());
        assertEquals(ControllerRegisters.version(1, 4, 0), id.version());
        assertEquals(7, id.mdts(), "512 KiB transfers (max_hw_sectors_kb 512, 128 segments) in 4 KiB pages");
        assertEquals(3, id.acl());
        assertEquals(3, id.aerl());
        assertEquals(10, id.kas());
        assertEquals(0, id.hmpre());
        assertEquals(0, id.hmmin());
        assertEquals(0x66, id.sqes());
        assertEquals(0x44, id.cqes());
        assertEquals(maxQueueSize(), id.maxcmd());
        assertEquals(0, id.fuses(), "no fused commands, although the device has Compare and Write");
        assertEquals(IdentifyController.SGLS_SUPPORTED, got.getIntLE(IdentifyController.SGLS),
                "loop: SGLs, no in-capsule data");
        assertEquals(PassthruLoopTarget.NQN, IdentifyController.subsystemNqn(got));
        assertEquals(4, got.getIntLE(IdentifyController.IOCCSZ), "loop has no in-capsule data: 64 bytes");
        assertEquals(1, got.getIntLE(IdentifyController.IORCSZ));
        assertEquals(1, got.getUnsignedByte(IdentifyController.MSDBD));
        assertEquals(IdentifyController.CMIC_MULTI_CONTROLLER, id.cmic() & IdentifyController.CMIC_MULTI_CONTROLLER);
        assertEquals(dev.getUnsignedByte(IdentifyController.CMIC) | IdentifyController.CMIC_MULTI_CONTROLLER,
                id.cmic());
        int devOncs = dev.getUnsignedShortLE(IdentifyController.ONCS);
        assertNotEquals(0, devOncs & IdentifyController.ONCS_RESERVATIONS, "the device has reservations");
        assertEquals(devOncs & ~IdentifyController.ONCS_RESERVATIONS, id.oncs(), "which the target hides");
    }

    @Test
    void identifyNamespaceZeroesMetadataFormatsAndLoopClearsIds() throws Exception {
        ByteBuf dev = target.directIdentify(IdentifyCns.NAMESPACE, 3);
        ByteBuf got = Unpooled.wrappedBuffer(host.identifyNamespace(3).bytes());
        int[][] changed = {{IdentifyNamespace.FLBAS, 1}, {IdentifyNamespace.MC, 1}, {IdentifyNamespace.NGUID, 16},
            {IdentifyNamespace.EUI64, 8}, {IdentifyNamespace.lbaf(1), 4}, {IdentifyNamespace.lbaf(3), 4}};
        List<Integer> differing = new ArrayList<>();
        for (int off = 0; off < IdentifyNamespace.SIZE; off++) {
            if (!owned(changed, off) && dev.getByte(off) != got.getByte(off)) {
                differing.add(off);
            }
        }
        assertEquals(List.of(), differing, "bytes the target must pass through unchanged");
        // blktests nvme/033: size and capacity are the device's
        assertEquals(IdentifyNamespace.nsze(dev), IdentifyNamespace.nsze(got));
        assertEquals(IdentifyNamespace.ncap(dev), IdentifyNamespace.ncap(got));
        // formats 1 (512+8) and 3 (4096+64) carry metadata the target cannot move
        assertNotEquals(0, dev.getIntLE(IdentifyNamespace.lbaf(1)));
        assertNotEquals(0, dev.getIntLE(IdentifyNamespace.lbaf(3)));
        assertEquals(0, got.getIntLE(IdentifyNamespace.lbaf(1)));
        assertEquals(0, got.getIntLE(IdentifyNamespace.lbaf(3)));
        assertEquals(dev.getIntLE(IdentifyNamespace.lbaf(0)), got.getIntLE(IdentifyNamespace.lbaf(0)));
        assertEquals(dev.getIntLE(IdentifyNamespace.lbaf(2)), got.getIntLE(IdentifyNamespace.lbaf(2)));
        assertEquals(0x10, dev.getUnsignedByte(IdentifyNamespace.FLBAS) & 0x10, "the device uses extended LBAs");
        assertEquals(dev.getUnsignedByte(IdentifyNamespace.FLBAS) & ~0x10, got.getUnsignedByte(IdentifyNamespace.FLBAS));
        assertEquals(0, got.getUnsignedByte(IdentifyNamespace.MC));
        // the loop transport forces clear_ids (the export lives next to the local namespace)
        assertNotEquals(0, IdentifyNamespace.nsze(dev));
        assertArrayEquals(new byte[24], bytes(got, IdentifyNamespace.NGUID, 24));
        assertEquals(512, host.namespace(3).blockSize());
    }

    @Test
    void descriptorListKeepsOnlyTheCommandSetOnLoop() throws Exception {
        ByteBuf dev = target.directIdentify(IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 1);
        assertEquals(16, NamespaceIdDescriptor.find(dev, NamespaceIdDescriptor.NIDT_NGUID).length,
                "the device has an NGUID");
        List<NamespaceIdentifier> ids = host.namespaceIdentifiers(1);
        assertEquals(1, ids.size(), "only the CSI descriptor: " + ids);
        assertEquals(NamespaceIdDescriptor.NIDT_CSI, ids.get(0).type());
    }

    @Test
    void identifyOfANamespaceTheDeviceLacksIsAnsweredByTheDevice() throws Exception {
        ByteBuf sqe = Commands.identify(IdentifyCns.NAMESPACE, 9);
        Completion c = host.adminQueue().execute(sqe.copy(), null, Unpooled.buffer(4096, 4096));
        assertEquals(Status.INVALID_NS | Status.DNR, c.status(), "beyond the device's NN");
        assertEquals(target.direct(true, sqe, Unpooled.buffer(4096), 4096).status(), c.status());
    }
}
