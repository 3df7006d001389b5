package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControllerStateTest {
    private final TargetFixture t = new TargetFixture();
    private final TestHost h = t.host();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void capabilitiesAndVersion() {
        h.connectAdmin(TargetFixture.NQN);
        Response cap = h.propertyGet(ControllerRegisters.CAP, true);
        assertEquals(0, cap.status());
        assertEquals(127, ControllerRegisters.capMqes(cap.result()), "port max queue size 128 - 1");
        assertEquals(15, ControllerRegisters.capTimeout(cap.result()));
        assertEquals(0, ControllerRegisters.capMpsmin(cap.result()));
        assertEquals(ControllerRegisters.CAP_CSS_NVM | ControllerRegisters.CAP_CSS_IO_COMMAND_SETS,
                cap.result() & (0xFFL << ControllerRegisters.CAP_CSS_SHIFT));
        assertEquals(0x00010300, h.propertyGet(ControllerRegisters.VS, false).result());
        assertEquals(0x000F000F, h.propertyGet(ControllerRegisters.CRTO, false).result());
    }

    @Test
    void propertyErrors() {
        h.connectAdmin(TargetFixture.NQN);
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.propertyGet(ControllerRegisters.CAP, false).status(), "CAP is an 8-byte property");
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.propertyGet(ControllerRegisters.CC, true).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.propertySet(ControllerRegisters.CSTS, 1).status(), "only CC is writable");
        ByteBuf sqe = TestHost.sqe(AdminOpcode.FABRICS);
        FabricsCommandType.set(sqe, FabricsCommandType.DISCONNECT);
        assertEquals(Status.INVALID_OPCODE | Status.DNR | Status.MORE, h.exec(sqe).status());
        sqe = TestHost.sqe(AdminOpcode.FABRICS);
        FabricsCommandType.set(sqe, FabricsCommandType.CONNECT);
        assertEquals(Status.INVALID_OPCODE | Status.DNR | Status.MORE, h.exec(sqe).status(),
                "a second Connect on a connected queue");
    }

    @Test
    void commandsBeforeReadyAreSequenceErrors() {
        h.connectAdmin(TargetFixture.NQN);
        assertEquals(Status.CMD_SEQ_ERROR | Status.DNR, h.identify(IdentifyCns.CONTROLLER, 0).status());
        assertEquals(0, h.enable().status());
        assertEquals(ControllerRegisters.CSTS_RDY, h.propertyGet(ControllerRegisters.CSTS, false).result());
        assertEquals(0, h.identify(IdentifyCns.CONTROLLER, 0).status());
    }

    @Test
    void badQueueEntrySizesFailTheController() {
        h.connectAdmin(TargetFixture.NQN);
        int cc = ControllerRegisters.CC_EN | 5 << ControllerRegisters.CC_IOSQES_SHIFT
                | 4 << ControllerRegisters.CC_IOCQES_SHIFT;
        h.propertySet(ControllerRegisters.CC, cc);
        assertEquals(ControllerRegisters.CSTS_CFS, h.propertyGet(ControllerRegisters.CSTS, false).result());
        assertEquals(cc, h.propertyGet(ControllerRegisters.CC, false).result());
        assertEquals(Status.CMD_SEQ_ERROR | Status.DNR, h.keepAlive().status());
    }

    @Test
    void unsupportedPageSizeOrCommandSetFails() {
        h.connectAdmin(TargetFixture.NQN);
        h.propertySet(ControllerRegisters.CC, ControllerRegisters.ccEnableNvm() | 1 << ControllerRegisters.CC_MPS_SHIFT);
        assertEquals(ControllerRegisters.CSTS_CFS, h.propertyGet(ControllerRegisters.CSTS, false).result());
        h.propertySet(ControllerRegisters.CC, 0);
        h.propertySet(ControllerRegisters.CC, ControllerRegisters.ccEnableNvm() | 1 << ControllerRegisters.CC_CSS_SHIFT);
        assertEquals(ControllerRegisters.CSTS_CFS, h.propertyGet(ControllerRegisters.CSTS, false).result());
        h.propertySet(ControllerRegisters.CC, 0);
        h.propertySet(ControllerRegisters.CC, ControllerRegisters.ccEnableNvm()
                | ControllerRegisters.CC_CSS_CSI << ControllerRegisters.CC_CSS_SHIFT);
        assertEquals(ControllerRegisters.CSTS_RDY, h.propertyGet(ControllerRegisters.CSTS, false).result(),
                "CC.CSS 110b is allowed with CAP.CSS bit 6");
    }

    @Test
    void shutdownCompletesAndClearsCc() {
        h.connectAndEnable(TargetFixture.NQN);
        int cc = ControllerRegisters.ccEnableNvm()
                | ControllerRegisters.CC_SHN_NORMAL << ControllerRegisters.CC_SHN_SHIFT;
        assertEquals(0, h.propertySet(ControllerRegisters.CC, cc).status());
        assertEquals(ControllerRegisters.CSTS_SHST_COMPLETE, h.propertyGet(ControllerRegisters.CSTS, false).result());
        assertEquals(0, h.propertyGet(ControllerRegisters.CC, false).result(), "Linux resets CC on shutdown");
        assertEquals(Status.CMD_SEQ_ERROR | Status.DNR, h.keepAlive().status());
    }

    @Test
    void disableClearsReady() {
        h.connectAndEnable(TargetFixture.NQN);
        h.propertySet(ControllerRegisters.CC, 0);
        assertEquals(0, h.propertyGet(ControllerRegisters.CSTS, false).result());
    }
}
