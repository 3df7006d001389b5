package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnvmet.backend.passthru.emulated.EmulatedNvmeController;
import org.jnvmet.core.internal.passthru.IdentifyFixups;
import org.jnvmet.core.internal.passthru.PassthruCapabilities;
import org.jnvmet.core.internal.passthru.PassthruDecision;
import org.jnvmet.core.internal.passthru.PassthruForwarder;
import org.jnvmet.core.internal.passthru.PassthruPolicy;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core's passthru logic (policy, forwarder, Identify fix-ups) driving the emulated controller the way the
 * target's dispatch will: what a fabrics host would read, compared with what the device itself says.
 */
class PassthruOnEmulatedControllerTest {
    static final String NQN = "nqn.2024-01.org.jnvmet:passthru";

    EmulatedNvmeController ctrl;
    NvmeDevice device;
    IdentifyFixups.ControllerContext ctx;

    @BeforeEach
    void setUp() {
        ctrl = EmulatedNvmeController.withDefaults("pt");
        device = ctrl.open("emulated:pt");
        ctx = new IdentifyFixups.ControllerContext(2, PassthruCapabilities.version(device.version()),
                PassthruCapabilities.mdts(device.queueLimits(), 0), 128, NQN, 8192, false, 1);
    }

    @AfterEach
    void tearDown() {
        device.close();
        ctrl.shutdown();
    }

    /** A transport queue that only records the completion. */
    static final class Responses implements TransportQueue {
        final CompletableFuture<NvmeRequest> done = new CompletableFuture<>();

        @Override
        public void sendResponse(NvmeRequest request) {
            done.complete(request);
        }

        @Override
        public void close() {
        }

        @Override
        public ByteBufAllocator allocator() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public int inlineDataSize() {
            return 8192;
        }

        @Override
        public int maxSglDescriptors() {
            return 1;
        }

        @Override
        public String peerAddress() {
            return "test";
        }
    }

    /** Runs one admin command as the dispatch would: policy first, then local/reject/forward. */
    private NvmeRequest admin(PassthruSpec spec, ByteBuf sqe, ByteBuf data, NvmeRequest.Direction dir, int length)
            throws Exception {
        Responses q = new Responses();
        NvmeRequest req = new NvmeRequest(q, 0);
        req.reset(sqe);
        req.setData(data);
        req.setTransfer(dir, length);
        PassthruDecision d = PassthruPolicy.of(spec).admin(sqe);
        switch (d.disposition()) {
            case REJECT -> req.complete(d.status());
            case LOCAL -> throw new AssertionError("local command in this test");
            default -> new PassthruForwarder(device, spec, ByteBufAllocator.DEFAULT).admin(req, d, ctx);
        }
        return q.done.get(5, TimeUnit.SECONDS);
    }

    private NvmeRequest io(PassthruSpec spec, ByteBuf sqe, ByteBuf data, NvmeRequest.Direction dir, int length)
            throws Exception {
        Responses q = new Responses();
        NvmeRequest req = new NvmeRequest(q, 0);
        req.reset(sqe);
        req.setData(data);
        req.setTransfer(dir, length);
        PassthruDecision d = PassthruPolicy.of(spec).io(sqe);
        if (d.disposition() == PassthruDecision.Disposition.REJECT) {
            req.complete(d.status());
        } else {
            new PassthruForwarder(device, spec, ByteBufAllocator.DEFAULT).io(req);
        }
        return q.done.get(5, TimeUnit.SECONDS);
    }

    private static ByteBuf sqe() {
        return Unpooled.buffer(64).writeZero(64);
    }

    private ByteBuf identifyRaw(int cns, int nsid) throws Exception {
        ByteBuf sqe = sqe();
        IdentifyCommand.set(sqe, cns, nsid, 0);
        ByteBuf data = Unpooled.buffer(4096);
        assertEquals(0, device.submitAdmin(sqe, data, 4096, 0).get(5, TimeUnit.SECONDS).status());
        return data;
    }

    private ByteBuf identifyViaTarget(PassthruSpec spec, int cns, int nsid) throws Exception {
        ByteBuf sqe = sqe();
        IdentifyCommand.set(sqe, cns, nsid, 0);
        ByteBuf data = Unpooled.buffer(4096);
        NvmeRequest r = admin(spec, sqe, data, NvmeRequest.Direction.CONTROLLER_TO_HOST, 4096);
        assertEquals(0, r.status());
        return data;
    }

    @Test
    void identifyControllerFieldByField() throws Exception {
        ByteBuf dev = identifyRaw(IdentifyCns.CONTROLLER, 0);
        ByteBuf host = identifyViaTarget(PassthruSpec.of("emulated:pt"), IdentifyCns.CONTROLLER, 0);

        // blktests nvme/033: the device's identity shows through
        assertEquals(dev.getUnsignedShortLE(IdentifyController.VID), host.getUnsignedShortLE(IdentifyController.VID));
        assertEquals(IdentifyController.serialNumber(dev), IdentifyController.serialNumber(host));
        assertEquals(IdentifyController.modelNumber(dev), IdentifyController.modelNumber(host));
        assertEquals(IdentifyController.firmwareRevision(dev), IdentifyController.firmwareRevision(host));
        for (int[] f : new int[][] {{IdentifyController.OACS, 2},
                {IdentifyController.CTRATT, 4}, {IdentifyController.NN, 4}, {IdentifyController.VWC, 1},
                {IdentifyController.TNVMCAP, 16}, {IdentifyController.PSD0, 32}, {IdentifyController.SANICAP, 4}}) {
            assertArrayEquals(bytes(dev, f[0], f[1]), bytes(host, f[0], f[1]), "offset " + f[0]);
        }
        // the fabrics controller's own: OAES only lists the notices the target delivers
        assertEquals(dev.getIntLE(IdentifyController.OAES) & IdentifyController.OAES_NS_ATTRIBUTE_NOTICES,
                host.getIntLE(IdentifyController.OAES));
        assertEquals(2, host.getUnsignedShortLE(IdentifyController.CNTLID));
        assertNotEquals(dev.getUnsignedShortLE(IdentifyController.CNTLID), 2);
        assertEquals(0x00010400, host.getIntLE(IdentifyController.VER));
        assertEquals(7, host.getUnsignedByte(IdentifyController.MDTS));
        assertEquals(3, host.getUnsignedByte(IdentifyController.ACL));
        assertEquals(3, host.getUnsignedByte(IdentifyController.AERL));
        assertEquals(10, host.getUnsignedShortLE(IdentifyController.KAS));
        assertEquals(0, host.getIntLE(IdentifyController.HMPRE));
        assertEquals(0, host.getIntLE(IdentifyController.HMMIN));
        assertEquals(0x66, host.getUnsignedByte(IdentifyController.SQES));
        assertEquals(0x44, host.getUnsignedByte(IdentifyController.CQES));
        assertEquals(128, host.getUnsignedShortLE(IdentifyController.MAXCMD));
        assertEquals(0, host.getUnsignedShortLE(IdentifyController.FUSES));
        assertEquals(IdentifyController.SGLS_SUPPORTED | IdentifyController.SGLS_OFFSET,
                host.getIntLE(IdentifyController.SGLS));
        assertEquals(NQN, IdentifyController.subsystemNqn(host));
        assertEquals((64 + 8192) / 16, host.getIntLE(IdentifyController.IOCCSZ));
        assertEquals(1, host.getIntLE(IdentifyController.IORCSZ));
        assertEquals(1, host.getUnsignedByte(IdentifyController.MSDBD));
        assertEquals(IdentifyController.CMIC_MULTI_CONTROLLER, host.getUnsignedByte(IdentifyController.CMIC));
        int devOncs = dev.getUnsignedShortLE(IdentifyController.ONCS);
        assertEquals(devOncs & ~IdentifyController.ONCS_RESERVATIONS, host.getUnsignedShortLE(IdentifyController.ONCS));
    }

    @Test
    void identifyNamespaceHidesMetadataFormats() throws Exception {
        ByteBuf dev = identifyRaw(IdentifyCns.NAMESPACE, 3);
        ByteBuf host = identifyViaTarget(PassthruSpec.of("emulated:pt"), IdentifyCns.NAMESPACE, 3);
        assertEquals(IdentifyNamespace.nsze(dev), IdentifyNamespace.nsze(host));
        assertEquals(IdentifyNamespace.ncap(dev), IdentifyNamespace.ncap(host));
        assertEquals(dev.getIntLE(IdentifyNamespace.lbaf(0)), host.getIntLE(IdentifyNamespace.lbaf(0)));
        assertEquals(dev.getIntLE(IdentifyNamespace.lbaf(2)), host.getIntLE(IdentifyNamespace.lbaf(2)));
        assertNotEquals(0, dev.getIntLE(IdentifyNamespace.lbaf(1)));
        assertEquals(0, host.getIntLE(IdentifyNamespace.lbaf(1)), "512+8");
        assertEquals(0, host.getIntLE(IdentifyNamespace.lbaf(3)), "4096+64");
        assertEquals(0x10, dev.getUnsignedByte(IdentifyNamespace.FLBAS));
        assertEquals(0, host.getUnsignedByte(IdentifyNamespace.FLBAS));
        assertEquals(0, host.getUnsignedByte(IdentifyNamespace.MC));
        assertArrayEquals(bytes(dev, IdentifyNamespace.NGUID, 24), bytes(host, IdentifyNamespace.NGUID, 24));

        ByteBuf cleared = identifyViaTarget(PassthruSpec.of("emulated:pt").withClearIds(true), IdentifyCns.NAMESPACE,
                3);
        assertArrayEquals(new byte[24], bytes(cleared, IdentifyNamespace.NGUID, 24));
    }

    @Test
    void descriptorsWithClearIdsKeepOnlyTheCsi() throws Exception {
        PassthruSpec clear = PassthruSpec.of("emulated:pt").withClearIds(true);
        ByteBuf kept = identifyViaTarget(PassthruSpec.of("emulated:pt"), IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 1);
        ByteBuf host = identifyViaTarget(clear, IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 1);
        assertEquals(16, NamespaceIdDescriptor.find(kept, NamespaceIdDescriptor.NIDT_NGUID).length);
        assertNull(NamespaceIdDescriptor.find(host, NamespaceIdDescriptor.NIDT_NGUID));
        assertNull(NamespaceIdDescriptor.find(host, NamespaceIdDescriptor.NIDT_EUI64));
        assertNull(NamespaceIdDescriptor.find(host, NamespaceIdDescriptor.NIDT_UUID));
        assertArrayEquals(new byte[] {0}, NamespaceIdDescriptor.find(host, NamespaceIdDescriptor.NIDT_CSI));
    }

    @Test
    void hostBehaviorIsComparedNeverSet() throws Exception {
        ByteBuf sqe = sqe();
        FeaturesCommand.setSet(sqe, FeatureId.HOST_BEHAVIOR_SUPPORT, 0);
        NvmeRequest same = admin(PassthruSpec.of("emulated:pt"), sqe, Unpooled.wrappedBuffer(new byte[512]),
                NvmeRequest.Direction.HOST_TO_CONTROLLER, 512);
        assertEquals(Status.SUCCESS, same.status());
        byte[] acre = new byte[512];
        acre[0] = 1;
        NvmeRequest different = admin(PassthruSpec.of("emulated:pt"), sqe, Unpooled.wrappedBuffer(acre),
                NvmeRequest.Direction.HOST_TO_CONTROLLER, 512);
        assertEquals(Status.INTERNAL, different.status());
        assertEquals(0, ctrl.executed(true, AdminOpcode.SET_FEATURES), "the device's setting was never changed");
        assertEquals(2, ctrl.executed(true, AdminOpcode.GET_FEATURES));
    }

    @Test
    void formatReachesTheDeviceOnlyWhenAllowed() throws Exception {
        ByteBuf sqe = sqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FORMAT_NVM);
        SubmissionQueueEntry.setNsid(sqe, 1);
        SubmissionQueueEntry.setCdw(sqe, 10, 1);
        NvmeRequest refused = admin(PassthruSpec.of("emulated:pt"), sqe, null, NvmeRequest.Direction.NONE, 0);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, refused.status());
        assertEquals(0, ctrl.executed(true, AdminOpcode.FORMAT_NVM));
        assertEquals(512, ctrl.blockSize(1));

        PassthruSpec allowed = PassthruSpec.of("emulated:pt").withAllowedAdminOpcodes(Set.of(AdminOpcode.FORMAT_NVM));
        assertEquals(Status.SUCCESS, admin(allowed, sqe, null, NvmeRequest.Direction.NONE, 0).status());
        assertEquals(4096, ctrl.blockSize(1));
    }

    @Test
    void ioForwardingVendorCommandsAndReservations() throws Exception {
        PassthruSpec spec = PassthruSpec.of("emulated:pt");
        ByteBuf sqe = sqe();
        SubmissionQueueEntry.setOpcode(sqe, 0x81);
        SubmissionQueueEntry.setNsid(sqe, 2);
        byte[] payload = {10, 20, 30, 40};
        assertEquals(0, io(spec, sqe, Unpooled.wrappedBuffer(payload), NvmeRequest.Direction.HOST_TO_CONTROLLER, 4)
                .status());
        SubmissionQueueEntry.setOpcode(sqe, 0x82);
        ByteBuf back = Unpooled.buffer(4);
        NvmeRequest r = io(spec, sqe, back, NvmeRequest.Direction.CONTROLLER_TO_HOST, 4);
        assertEquals(0, r.status());
        assertEquals(4, r.result());
        assertArrayEquals(new byte[] {40, 30, 20, 10}, bytes(back, 0, 4));

        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.RESERVATION_ACQUIRE);
        assertEquals(Status.INVALID_OPCODE | Status.DNR,
                io(spec, sqe, Unpooled.buffer(16), NvmeRequest.Direction.HOST_TO_CONTROLLER, 16).status());
        assertEquals(0, ctrl.executed(false, NvmOpcode.RESERVATION_ACQUIRE));

        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.READ);
        SubmissionQueueEntry.setNsid(sqe, 42); // NSIDs are not remapped: the device answers
        assertEquals(Status.INVALID_NS | Status.DNR,
                io(spec, sqe, Unpooled.buffer(512), NvmeRequest.Direction.CONTROLLER_TO_HOST, 512).status());
    }

    @Test
    void removedDeviceFailsCommandsWithInternalError() throws Exception {
        ctrl.remove();
        ByteBuf sqe = sqe();
        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.FLUSH);
        SubmissionQueueEntry.setNsid(sqe, 1);
        assertEquals(Status.INTERNAL, io(PassthruSpec.of("emulated:pt"), sqe, null, NvmeRequest.Direction.NONE, 0)
                .status());
        IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
        assertEquals(Status.INTERNAL, admin(PassthruSpec.of("emulated:pt"), sqe, Unpooled.buffer(4096),
                NvmeRequest.Direction.CONTROLLER_TO_HOST, 4096).status());
    }

    private static byte[] bytes(ByteBuf b, int off, int len) {
        byte[] out = new byte[len];
        b.getBytes(off, out);
        return out;
    }
}
