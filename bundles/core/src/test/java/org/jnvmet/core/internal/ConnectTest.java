package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectTest {
    private final TargetFixture t = new TargetFixture();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void firstCommandMustBeConnect() {
        TestHost h = t.host();
        Response r = h.identify(IdentifyCns.CONTROLLER, 0);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, r.status(), "no More bit: there is no controller yet");
        ByteBuf sqe = TestHost.sqe(AdminOpcode.FABRICS);
        FabricsCommandType.set(sqe, FabricsCommandType.PROPERTY_GET);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, h.exec(sqe).status());
        assertEquals(0, h.session.queueSize());
    }

    @Test
    void adminConnectReturnsCntlidAndAdvancesSqHead() {
        TestHost h = t.host();
        Response r = h.connectAdmin(TargetFixture.NQN);
        assertEquals(0, r.status());
        int cntlid = (int) r.result();
        assertTrue(cntlid >= 1 && cntlid <= 0xFFEF);
        assertEquals(1, r.sqHead(), "SQHD after the first command of a 32-entry queue");
        assertEquals(32, h.session.queueSize());
        assertFalse(h.session.sqFlowControlDisabled());
        assertEquals(2, h.enable().sqHead());
        assertEquals(1, t.engine.controllers().size());
        assertEquals(TestHost.HOSTNQN, t.engine.controllers().get(0).hostNqn());
        assertEquals(TestHost.HOSTID.toString(), t.engine.controllers().get(0).hostId());
    }

    @Test
    void disabledSqFlowControlReportsFfffThenZero() {
        TestHost h = t.host();
        Response r = h.connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 31, ConnectCommand.CATTR_DISABLE_SQ_FLOW, 0,
                0xFFFF);
        assertEquals(0, r.status());
        assertEquals(0xFFFF, r.sqHead());
        assertTrue(h.session.sqFlowControlDisabled());
        assertEquals(0, h.enable().sqHead());
    }

    @Test
    void recordFormatMustBeZero() {
        TestHost h = t.host();
        ByteBuf sqe = TestHost.sqe(AdminOpcode.FABRICS);
        ConnectCommand.set(sqe, 0, 31, 0, 0);
        sqe.setShortLE(ConnectCommand.RECFMT, 1);
        TestHost.inlineSgl(sqe, ConnectData.SIZE);
        Response r = h.exec(sqe, TestHost.connectData(TargetFixture.NQN, TestHost.HOSTNQN, 0xFFFF));
        assertEquals(Status.CONNECT_FORMAT | Status.DNR, r.status());
        assertEquals(0, r.result());
    }

    @Test
    void adminConnectNeedsDynamicCntlid() {
        Response r = t.host().connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 31, 0, 0, 5);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, r.status());
        assertEquals(0x10010, r.result(), "IATTR set, offset of CNTLID in the connect data");
    }

    @Test
    void unknownSubsystemAndHostNotAllowed() {
        Response r = t.host().connectAdmin("nqn.2024-01.org.jnvmet:nope");
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, r.status());
        assertEquals(0x10100, r.result());
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN).withAllowedHosts(false,
                List.of("nqn.2024-01.org.jnvmet:host-a")));
        r = t.host().connectAdmin(TargetFixture.NQN);
        assertEquals(Status.CONNECT_INVALID_HOST | Status.DNR, r.status());
        assertEquals(0x10200, r.result());
        r = t.host().connect(0, TargetFixture.NQN, "nqn.2024-01.org.jnvmet:host-a", 31, 0, 0, 0xFFFF);
        assertEquals(0, r.status());
    }

    @Test
    void subsystemMustBeLinkedToThePort() {
        String other = "nqn.2024-01.org.jnvmet:other";
        t.engine.putSubsystem(SubsystemSpec.of(other));
        Response r = t.host().connectAdmin(other);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, r.status());
        assertEquals(0x10100, r.result());
    }

    @Test
    void sqsizeZeroIsInvalid() {
        Response r = t.host().connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 0, 0, 0, 0xFFFF);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, r.status());
        assertEquals(ConnectCommand.SQSIZE, r.result());
        assertEquals(0, t.engine.controllers().size(), "the controller allocated for it is gone again");
    }

    @Test
    void connectDataLengthMustBe1024() {
        TestHost h = t.host();
        ByteBuf sqe = TestHost.sqe(AdminOpcode.FABRICS);
        ConnectCommand.set(sqe, 0, 31, 0, 0);
        TestHost.inlineSgl(sqe, 512);
        Response r = h.exec(sqe, TestHost.connectData(TargetFixture.NQN, TestHost.HOSTNQN, 0xFFFF));
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, r.status());
    }

    @Test
    void cntlidRangeExhaustedIsControllerBusy() {
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN).withCntlidRange(7, 7));
        Response first = t.host().connectAdmin(TargetFixture.NQN);
        assertEquals(0, first.status());
        assertEquals(7, first.result());
        Response second = t.host().connectAdmin(TargetFixture.NQN);
        assertEquals(Status.CONNECT_CTRL_BUSY | Status.DNR, second.status());
    }

    @Test
    void ioQueueConnectValidation() {
        TestHost admin = t.host();
        int cntlid = admin.connectAndEnable(TargetFixture.NQN);

        Response unknown = t.host().connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 127, 0, 0, cntlid + 1);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, unknown.status());
        assertEquals(0x10010, unknown.result());

        Response otherHost = t.host().connect(1, TargetFixture.NQN, "nqn.2024-01.org.x:y", 127, 0, 0, cntlid);
        assertEquals(0x10010, otherHost.result(), "the host NQN must match the controller's");

        Response bigQid = t.host().connect(129, TargetFixture.NQN, TestHost.HOSTNQN, 127, 0, 0, cntlid);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, bigQid.status());
        assertEquals(ConnectCommand.QID, bigQid.result());

        Response bigQueue = t.host().connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 128, 0, 0, cntlid);
        assertEquals(Status.CONNECT_INVALID_PARAM | Status.DNR, bigQueue.status(), "MQES is 127 on this port");
        assertEquals(ConnectCommand.SQSIZE, bigQueue.result());

        TestHost io = t.host();
        Response ok = io.connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 127, 0, 0, cntlid);
        assertEquals(0, ok.status());
        assertEquals(cntlid, ok.result());
        assertEquals(128, io.session.queueSize());

        Response dup = t.host().connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 127, 0, 0, cntlid);
        assertEquals(Status.CMD_SEQ_ERROR | Status.DNR, dup.status());
        assertEquals(1, t.engine.controllers().get(0).ioQueues());
    }

    @Test
    void fusedAndPrpCommandsAreRejected() {
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        ByteBuf sqe = TestHost.sqe(AdminOpcode.KEEP_ALIVE);
        SubmissionQueueEntry.setFlags(sqe, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG | 0x1);
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE, h.exec(sqe).status());
        sqe = TestHost.sqe(AdminOpcode.KEEP_ALIVE);
        SubmissionQueueEntry.setFlags(sqe, 0);
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE, h.exec(sqe).status(), "PRP on fabrics");
        sqe = TestHost.sqe(AdminOpcode.KEEP_ALIVE);
        SubmissionQueueEntry.setFlags(sqe, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_SGL);
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE, h.exec(sqe).status());
    }

    @Test
    void disconnectingTheLastQueueFreesTheCntlid() {
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN).withCntlidRange(9, 9));
        TestHost h = t.host();
        int cntlid = h.connectAndEnable(TargetFixture.NQN);
        TestHost io = t.host();
        assertEquals(0, io.connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 15, 0, 0, cntlid).status());
        h.session.disconnected();
        assertEquals(1, t.engine.controllers().size(), "the I/O queue still holds the controller");
        io.session.disconnected();
        assertEquals(0, t.engine.controllers().size());
        assertEquals(9, t.host().connectAdmin(TargetFixture.NQN).result());
    }

    @Test
    void removingTheLinkDeletesControllersOnThatPort() {
        TestHost h = t.host();
        h.connectAndEnable(TargetFixture.NQN);
        t.engine.putPort(PortSpec.tcp(1, "127.0.0.1", 4420, List.of()));
        assertTrue(h.queue.closed);
        assertEquals(0, t.engine.controllers().size());
        assertNotEquals(0, t.transport.closes, "port without subsystems stops listening");
    }
}
