package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PassthruForwarderTest {
    static final IdentifyFixups.ControllerContext CTX =
            new IdentifyFixups.ControllerContext(9, 0x00010300, 5, 128, "nqn.test:pt", 8192, false, 1);

    final List<NvmeRequest> responses = new ArrayList<>();
    final TransportQueue queue = new TransportQueue() {
        @Override
        public void sendResponse(NvmeRequest request) {
            responses.add(request);
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
    };
    FakeDevice device;
    PassthruForwarder fwd;
    ByteBuf sqe;
    NvmeRequest req;

    @BeforeEach
    void setUp() {
        device = new FakeDevice();
        fwd = new PassthruForwarder(device, PassthruSpec.of("/dev/fake0").withTimeouts(1500, 700),
                ByteBufAllocator.DEFAULT);
        sqe = Unpooled.buffer(64).writeZero(64);
        req = new NvmeRequest(queue, 0);
        req.reset(sqe);
    }

    @AfterEach
    void tearDown() {
        sqe.release();
    }

    @Test
    void forwardCopiesStatusAndResultAndUsesTheAdminTimeout() {
        SubmissionQueueEntry.setOpcode(sqe, 0xC2);
        device.behaviour = (s, d) -> new long[] {Status.INVALID_FIELD | Status.DNR, 0xABCDL};
        fwd.admin(req, PassthruDecision.FORWARD, CTX);
        assertEquals(1, responses.size());
        assertEquals(Status.INVALID_FIELD | Status.DNR, req.status());
        assertEquals(0xABCD, req.result());
        assertEquals(new FakeDevice.Submitted(true, 0xC2, 0, 1500), device.submitted.get(0));
    }

    @Test
    void errnoBecomesInternalError() {
        device.behaviour = (s, d) -> new long[] {-19, 0};
        req.setTransfer(NvmeRequest.Direction.NONE, 0);
        fwd.io(req);
        assertEquals(Status.INTERNAL, req.status());
        assertEquals(new FakeDevice.Submitted(false, 0, 0, 700), device.submitted.get(0));
    }

    @Test
    void identifyControllerIsPatchedWhereTheDataWasWritten() {
        IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
        ByteBuf data = Unpooled.buffer(4096 + 32);
        data.writeZero(32); // the transport's buffer already holds something before the read data
        req.setData(data);
        req.setTransfer(NvmeRequest.Direction.CONTROLLER_TO_HOST, 4096);
        device.behaviour = (s, d) -> {
            ByteBuf id = Unpooled.buffer(4096).writeZero(4096);
            id.setShortLE(IdentifyController.CNTLID, 0x41);
            id.setIntLE(IdentifyController.HMPRE, 77);
            d.writeBytes(id);
            return new long[] {0, 0};
        };
        fwd.admin(req, PassthruDecision.FORWARD_IDENTIFY_FIXUP, CTX);
        assertEquals(0, req.status());
        ByteBuf id = data.slice(32, 4096);
        assertEquals(9, id.getUnsignedShortLE(IdentifyController.CNTLID));
        assertEquals(0, id.getIntLE(IdentifyController.HMPRE));
        assertEquals("nqn.test:pt", IdentifyController.subsystemNqn(id));
        assertEquals(0, data.getLongLE(0), "bytes before the read data untouched");
    }

    @Test
    void failedIdentifyIsNotPatched() {
        IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
        ByteBuf data = Unpooled.buffer(4096);
        req.setData(data);
        req.setTransfer(NvmeRequest.Direction.CONTROLLER_TO_HOST, 4096);
        device.behaviour = (s, d) -> new long[] {Status.INTERNAL, 0};
        fwd.admin(req, PassthruDecision.FORWARD_IDENTIFY_FIXUP, CTX);
        assertEquals(Status.INTERNAL, req.status());
        assertEquals(0, data.writerIndex());
    }

    private void hostBehavior(byte[] wanted, byte[] current, int deviceStatus) {
        FeaturesCommand.setSet(sqe, FeatureId.HOST_BEHAVIOR_SUPPORT, 0);
        req.setData(Unpooled.wrappedBuffer(wanted));
        req.setTransfer(NvmeRequest.Direction.HOST_TO_CONTROLLER, wanted.length);
        device.behaviour = (s, d) -> {
            assertEquals(AdminOpcode.GET_FEATURES, SubmissionQueueEntry.opcode(s));
            assertEquals(FeatureId.HOST_BEHAVIOR_SUPPORT, SubmissionQueueEntry.cdw(s, 10));
            if (deviceStatus == 0) {
                d.writeBytes(current);
            }
            return new long[] {deviceStatus, 0};
        };
        fwd.admin(req, PassthruDecision.HOST_BEHAVIOR_CHECK, CTX);
    }

    @Test
    void hostBehaviorMatchingTheDeviceSucceeds() {
        byte[] b = new byte[512];
        b[0] = 1;
        hostBehavior(b, b.clone(), 0);
        assertEquals(Status.SUCCESS, req.status());
        assertEquals(List.of(new FakeDevice.Submitted(true, AdminOpcode.GET_FEATURES, 512, 1500)), device.submitted,
                "only the Get Features reached the device, never a Set");
    }

    @Test
    void hostBehaviorDifferingFromTheDeviceIsInternalError() {
        byte[] b = new byte[512];
        b[0] = 1;
        hostBehavior(b, new byte[512], 0);
        assertEquals(Status.INTERNAL, req.status());
    }

    @Test
    void hostBehaviorWhenTheDeviceFailsIsInternalError() {
        hostBehavior(new byte[512], null, Status.INVALID_FIELD | Status.DNR);
        assertEquals(Status.INTERNAL, req.status());
    }

    @Test
    void hostBehaviorWithoutItsDataIsAnSglError() {
        hostBehavior(new byte[16], new byte[512], 0);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, req.status());
        assertTrue(device.submitted.isEmpty());
    }
}
