package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.BitSet;
import java.util.Random;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.junit.jupiter.api.Test;

/** Field by field, on device data full of noise, so a patch that touches one byte too many shows up. */
class IdentifyFixupsTest {
    private static final IdentifyFixups.ControllerContext CTX = new IdentifyFixups.ControllerContext(0x0007,
            0x00010400, 5, 128, "nqn.2024-01.org.jnvmet:passthru-test", 8192, false, 1);

    private static ByteBuf noise(long seed) {
        byte[] b = new byte[4096];
        new Random(seed).nextBytes(b);
        return Unpooled.wrappedBuffer(b);
    }

    private static void mark(BitSet changed, int offset, int length) {
        changed.set(offset, offset + length);
    }

    private static void assertUnchangedOutside(ByteBuf before, ByteBuf after, BitSet changed) {
        for (int i = 0; i < before.capacity(); i++) {
            if (!changed.get(i)) {
                assertEquals(before.getByte(i), after.getByte(i), "byte " + i + " must be the device's");
            }
        }
    }

    @Test
    void identifyControllerDescribesTheFabricsController() {
        ByteBuf dev = noise(1);
        dev.setByte(IdentifyController.SQES, 0x77);
        dev.setByte(IdentifyController.CQES, 0x33);
        dev.setByte(IdentifyController.CMIC, 0x01);
        dev.setShortLE(IdentifyController.ONCS, 0x00FF);
        ByteBuf id = dev.copy();

        IdentifyFixups.controller(id, CTX);

        assertEquals(0x0007, id.getUnsignedShortLE(IdentifyController.CNTLID));
        assertEquals(0x00010400, id.getIntLE(IdentifyController.VER));
        assertEquals(5, id.getUnsignedByte(IdentifyController.MDTS));
        assertEquals(3, id.getUnsignedByte(IdentifyController.ACL));
        assertEquals(3, id.getUnsignedByte(IdentifyController.AERL));
        assertEquals(10, id.getUnsignedShortLE(IdentifyController.KAS));
        assertEquals(0, id.getIntLE(IdentifyController.HMPRE));
        assertEquals(0, id.getIntLE(IdentifyController.HMMIN));
        assertEquals(0x66, id.getUnsignedByte(IdentifyController.SQES), "min(0x66, 0x77)");
        assertEquals(0x33, id.getUnsignedByte(IdentifyController.CQES), "min(0x44, 0x33)");
        assertEquals(128, id.getUnsignedShortLE(IdentifyController.MAXCMD));
        assertEquals(0, id.getUnsignedShortLE(IdentifyController.FUSES));
        assertEquals(IdentifyController.SGLS_SUPPORTED | IdentifyController.SGLS_OFFSET,
                id.getIntLE(IdentifyController.SGLS));
        assertEquals(CTX.subsystemNqn(), IdentifyController.subsystemNqn(id));
        for (int i = CTX.subsystemNqn().length(); i < IdentifyController.SUBNQN_LENGTH; i++) {
            assertEquals(0, id.getByte(IdentifyController.SUBNQN + i), "no residue of the device's NQN");
        }
        assertEquals((64 + 8192) / 16, id.getIntLE(IdentifyController.IOCCSZ));
        assertEquals(1, id.getIntLE(IdentifyController.IORCSZ));
        assertEquals(1, id.getUnsignedByte(IdentifyController.MSDBD));
        assertEquals(0x01 | IdentifyController.CMIC_MULTI_CONTROLLER, id.getUnsignedByte(IdentifyController.CMIC));
        assertEquals(0x00FF & ~IdentifyController.ONCS_RESERVATIONS, id.getUnsignedShortLE(IdentifyController.ONCS));

        BitSet changed = new BitSet();
        mark(changed, IdentifyController.CMIC, 1);
        mark(changed, IdentifyController.MDTS, 1);
        mark(changed, IdentifyController.CNTLID, 2);
        mark(changed, IdentifyController.VER, 4);
        mark(changed, IdentifyController.ACL, 1);
        mark(changed, IdentifyController.AERL, 1);
        mark(changed, IdentifyController.KAS, 2);
        mark(changed, IdentifyController.HMPRE, 4);
        mark(changed, IdentifyController.HMMIN, 4);
        mark(changed, IdentifyController.SQES, 1);
        mark(changed, IdentifyController.CQES, 1);
        mark(changed, IdentifyController.MAXCMD, 2);
        mark(changed, IdentifyController.ONCS, 2);
        mark(changed, IdentifyController.FUSES, 2);
        mark(changed, IdentifyController.SGLS, 4);
        mark(changed, IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH);
        mark(changed, IdentifyController.IOCCSZ, 4);
        mark(changed, IdentifyController.IORCSZ, 4);
        mark(changed, IdentifyController.MSDBD, 1);
        mark(changed, IdentifyController.OAES, 4);
        assertEquals(dev.getIntLE(IdentifyController.OAES) & IdentifyController.OAES_NS_ATTRIBUTE_NOTICES,
                id.getIntLE(IdentifyController.OAES));
        // VID, SN, MN, FR, OACS, CTRATT, NN, VWC, CRDT, power states...: the device's
        assertUnchangedOutside(dev, id, changed);
    }

    @Test
    void transportFeaturesShowInSgls() {
        ByteBuf id = noise(2);
        IdentifyFixups.controller(id, new IdentifyFixups.ControllerContext(1, 0x00010201, 8, 32, "nqn.x", 0, true, 16));
        assertEquals(IdentifyController.SGLS_SUPPORTED | IdentifyController.SGLS_KEYED,
                id.getIntLE(IdentifyController.SGLS));
        assertEquals(4, id.getIntLE(IdentifyController.IOCCSZ));
        assertEquals(16, id.getUnsignedByte(IdentifyController.MSDBD));
    }

    @Test
    void shortTransferPatchesOnlyWhatArrived() {
        ByteBuf dev = noise(3).capacity(1024);
        ByteBuf id = dev.copy();
        IdentifyFixups.controller(id, CTX);
        assertEquals(1024, id.capacity());
        assertEquals(CTX.subsystemNqn(), IdentifyController.subsystemNqn(id));
        assertEquals(0x0007, id.getUnsignedShortLE(IdentifyController.CNTLID));
        ByteBuf tiny = noise(4).capacity(10);
        IdentifyFixups.controller(tiny, CTX); // nothing fits but VID/SN bytes: no exception
        IdentifyFixups.namespace(tiny, true);
        IdentifyFixups.descriptors(tiny, true);
    }

    private static ByteBuf namespaceWithFormats() {
        ByteBuf ns = noise(5);
        ns.setByte(IdentifyNamespace.NLBAF, 4);
        int[][] formats = {{0, 9}, {8, 9}, {0, 12}, {64, 12}, {16, 12}};
        for (int i = 0; i < formats.length; i++) {
            ns.setShortLE(IdentifyNamespace.lbaf(i), formats[i][0]);
            ns.setByte(IdentifyNamespace.lbaf(i) + IdentifyNamespace.LBAF_LBADS, formats[i][1]);
        }
        ns.setByte(IdentifyNamespace.FLBAS, 0x12);
        ns.setByte(IdentifyNamespace.MC, 0x03);
        return ns;
    }

    @Test
    void identifyNamespaceHidesMetadata() {
        ByteBuf dev = namespaceWithFormats();
        ByteBuf ns = dev.copy();
        IdentifyFixups.namespace(ns, false);
        for (int i : new int[] {1, 3, 4}) {
            assertEquals(0, ns.getIntLE(IdentifyNamespace.lbaf(i)), "format " + i + " has metadata: zeroed");
        }
        for (int i : new int[] {0, 2}) {
            assertEquals(dev.getIntLE(IdentifyNamespace.lbaf(i)), ns.getIntLE(IdentifyNamespace.lbaf(i)));
        }
        assertEquals(0x02, ns.getUnsignedByte(IdentifyNamespace.FLBAS));
        assertEquals(0, ns.getUnsignedByte(IdentifyNamespace.MC));
        BitSet changed = new BitSet();
        for (int i : new int[] {1, 3, 4}) {
            mark(changed, IdentifyNamespace.lbaf(i), 4);
        }
        mark(changed, IdentifyNamespace.FLBAS, 1);
        mark(changed, IdentifyNamespace.MC, 1);
        assertUnchangedOutside(dev, ns, changed); // NSZE, NCAP, NGUID, EUI64 kept without clear_ids
    }

    @Test
    void clearIdsZeroesNguidAndEui64() {
        ByteBuf dev = namespaceWithFormats();
        ByteBuf ns = dev.copy();
        IdentifyFixups.namespace(ns, true);
        assertArrayEquals(new byte[16], bytes(ns, IdentifyNamespace.NGUID, 16));
        assertArrayEquals(new byte[8], bytes(ns, IdentifyNamespace.EUI64, 8));
        assertEquals(IdentifyNamespace.nsze(dev), IdentifyNamespace.nsze(ns));
        assertEquals(IdentifyNamespace.ncap(dev), IdentifyNamespace.ncap(ns));
    }

    @Test
    void lbaFormatCountIsBoundedBy64() {
        ByteBuf dev = noise(6);
        dev.setByte(IdentifyNamespace.NLBAF, 255); // hostile or broken device
        ByteBuf ns = dev.copy();
        IdentifyFixups.namespace(ns, false);
        int end = IdentifyNamespace.lbaf(IdentifyNamespace.LBAF_COUNT);
        assertArrayEquals(bytes(dev, end, 4096 - end), bytes(ns, end, 4096 - end), "vendor area untouched");
    }

    @Test
    void descriptorListKeepsOnlyTheCsiWithClearIds() {
        ByteBuf list = Unpooled.buffer(4096).writeZero(4096);
        int off = NamespaceIdDescriptor.write(list, 0, NamespaceIdDescriptor.NIDT_EUI64, new byte[8]);
        off = NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_NGUID, filled(16, 0x11));
        off = NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_UUID, filled(16, 0x22));
        NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_CSI, new byte[] {2});
        ByteBuf kept = list.copy();
        IdentifyFixups.descriptors(kept, false);
        assertEquals(list, kept);

        IdentifyFixups.descriptors(list, true);
        assertEquals(NamespaceIdDescriptor.NIDT_CSI, list.getUnsignedByte(0));
        assertEquals(1, list.getUnsignedByte(1));
        assertEquals(2, list.getUnsignedByte(4));
        assertArrayEquals(new byte[4096 - 5], bytes(list, 5, 4096 - 5));
        assertEquals(null, NamespaceIdDescriptor.find(list, NamespaceIdDescriptor.NIDT_NGUID));
    }

    @Test
    void descriptorListWithoutCsiBecomesEmpty() {
        ByteBuf list = Unpooled.buffer(4096).writeZero(4096);
        NamespaceIdDescriptor.write(list, 0, NamespaceIdDescriptor.NIDT_NGUID, filled(16, 0x33));
        IdentifyFixups.descriptors(list, true);
        assertArrayEquals(new byte[4096], bytes(list, 0, 4096));
        // a malformed list (lengths running off the end) is cleared without an exception
        ByteBuf bad = Unpooled.buffer(4096).writeZero(4096);
        for (int i = 0; i < 4096; i += 4) {
            bad.setByte(i, 1);
            bad.setByte(i + 1, 255);
        }
        IdentifyFixups.descriptors(bad, true);
        assertArrayEquals(new byte[4096], bytes(bad, 0, 4096));
    }

    @Test
    void asciiFieldsAreTheDevicesOwn() {
        ByteBuf id = noise(7);
        AsciiField.setSpacePadded(id, IdentifyController.SN, IdentifyController.SN_LENGTH, "S4EWNX0R123456");
        AsciiField.setSpacePadded(id, IdentifyController.MN, IdentifyController.MN_LENGTH, "Samsung SSD 980");
        IdentifyFixups.controller(id, CTX);
        assertEquals("S4EWNX0R123456", IdentifyController.serialNumber(id));
        assertEquals("Samsung SSD 980", IdentifyController.modelNumber(id));
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static byte[] bytes(ByteBuf b, int off, int len) {
        byte[] out = new byte[len];
        b.getBytes(off, out);
        return out;
    }
}
