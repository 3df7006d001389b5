package org.jnvmet.core.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.CommandQueue;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ErrorLogEntry;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.IdentifyControllerData;
import org.jnvmet.host.IdentifyNamespaceData;
import org.jnvmet.host.NamespaceIdentifier;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.host.SmartHealthInfo;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controller bring-up and the admin command set over the loopback transport, asserted against what the Linux
 * target (drivers/nvme/target) reports for the same configuration.
 */
class BringUpAndAdminTest {
    private static final long RAM_BYTES = 8L << 20;
    private static final long FILE_BYTES = 4L << 20;

    @TempDir
    Path dir;
    private LoopTarget target;
    private HostController controller;

    @BeforeEach
    void connect() throws Exception {
        target = new LoopTarget(dir, RAM_BYTES, FILE_BYTES);
        controller = target.host.connectAdmin(target.transport(), target.options().withIoQueues(2, 32));
    }

    @AfterEach
    void close() {
        controller.close();
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    @Test
    void connectReadsCapAndVersionThenCcEnableMakesTheControllerReady() throws Exception {
        long cap = controller.capabilities();
        assertEquals(1023, ControllerRegisters.capMqes(cap), "MQES: port max_queue_size 1024, 0's based");
        assertEquals(15, ControllerRegisters.capTimeout(cap), "CAP.TO 15 (7.5 s)");
        assertTrue((cap & ControllerRegisters.CAP_CSS_NVM) != 0, "CAP.CSS NVM command set");
        assertTrue((cap & ControllerRegisters.CAP_CSS_IO_COMMAND_SETS) != 0, "CAP.CSS bit 6: I/O command sets");
        assertEquals(0, ControllerRegisters.capMpsmin(cap), "MPSMIN 4 KiB");
        assertEquals(0x00010300, controller.version(), "VS from attr_version 1.3");
        assertEquals(0x00010300L, controller.getProperty(ControllerRegisters.VS, false));
        assertEquals(cap, controller.getProperty(ControllerRegisters.CAP, true));

        assertEquals(0L, controller.getProperty(ControllerRegisters.CC, false), "CC is 0 after Connect");
        assertEquals(0L, controller.getProperty(ControllerRegisters.CSTS, false), "not ready before CC.EN");
        List<ControllerInfo> live = target.core.controllers();
        assertEquals(1, live.size());
        assertEquals(controller.cntlid(), live.get(0).cntlid());
        assertEquals(target.host.hostNqn(), live.get(0).hostNqn());
        assertFalse(live.get(0).ready());

        controller.enable();
        assertEquals(0x00460001L, controller.getProperty(ControllerRegisters.CC, false));
        assertEquals((long) ControllerRegisters.CSTS_RDY, controller.getProperty(ControllerRegisters.CSTS, false));
        assertTrue(target.core.controllers().get(0).ready());

        controller.shutdown();
        long csts = controller.getProperty(ControllerRegisters.CSTS, false);
        assertEquals(ControllerRegisters.CSTS_SHST_COMPLETE, (int) csts & ControllerRegisters.CSTS_SHST_MASK);
        assertEquals(0, (int) csts & ControllerRegisters.CSTS_RDY, "shutdown clears RDY");
    }

    @Test
    void identifyControllerFieldByField() throws Exception {
        controller.enable();
        IdentifyControllerData id = controller.identifyController();
        assertEquals(0, id.vid());
        assertEquals(0, id.ssvid());
        assertArrayEquals(padded(LoopTarget.SERIAL, 20), id.serialNumberField(), "SN, space padded");
        assertArrayEquals(padded(LoopTarget.MODEL, 40), id.modelNumberField(), "MN, space padded");
        assertArrayEquals(padded(LoopTarget.FIRMWARE, 8), id.firmwareRevisionField(), "FR, space padded");
        assertEquals(6, id.rab());
        assertEquals(LoopTarget.IEEE_OUI, id.ieeeOui());
        assertEquals(0x0B, id.cmic(), "multi-port, multi-controller, ANA");
        assertEquals(8, id.mdts(), "jnvmet's default MDTS: 1 MiB with 4 KiB pages");
        assertEquals(controller.cntlid(), id.cntlid());
        assertEquals(0x00010300, id.version());
        assertEquals(0x900, id.oaes(), "namespace attribute and ANA change notices");
        assertEquals(0x41, id.ctratt(), "128-bit host ID, traffic based keep alive");
        assertEquals(1, id.cntrltype(), "I/O controller");
        assertEquals(0, id.oacs());
        assertEquals(3, id.acl());
        assertEquals(3, id.aerl(), "four outstanding AERs");
        assertEquals(0x03, id.frmw());
        assertEquals(0x07, id.lpa());
        assertEquals(127, id.elpe(), "128 error log entries");
        assertEquals(0, id.npss());
        assertEquals(10, id.kas(), "keep alive granularity 1 s");
        assertEquals(0x66, id.sqes());
        assertEquals(0x44, id.cqes());
        assertEquals(1024, id.maxcmd(), "MQES + 1");
        assertEquals(1024, id.nn());
        assertEquals(1024, id.mnan());
        assertEquals(0x000D, id.oncs(), "Compare, Dataset Management, Write Zeroes; no reservations");
        assertEquals(0, id.fuses(), "no fused operations");
        assertEquals(1, id.vwc());
        assertEquals(0, id.awun());
        assertEquals(0, id.awupf());
        // NWPC bit 0 promises the Namespace Write Protection feature (Linux: 1, with Set/Get Features 84h)
        Completion wp = controller.adminQueue().execute(
                nsid(Commands.getFeatures(FeatureId.NAMESPACE_WRITE_PROTECTION, 0), LoopTarget.RAM_NSID), null, null);
        assertEquals((id.nwpc() & 1) == 1, wp.isSuccess(), "NWPC " + id.nwpc() + " but Get Features 84h: " + wp);
        assertEquals(0x1, id.sgls(), "SGLs without keyed or offset (loop has no in-capsule data)");
        assertEquals(LoopTarget.NQN, id.subsystemNqn());
        assertEquals(4, id.ioccsz(), "64-byte command capsules: no in-capsule data on loop");
        assertEquals(1, id.iorcsz());
        assertEquals(0, id.icdoff());
        assertEquals(1, id.msdbd());
        assertEnduranceGroups(id.endgidmax());
        assertEquals(0x1F, id.anacap());
        assertEquals(10, id.anatt());
        assertEquals(128, id.anagrpmax());
        assertEquals(128, id.nanagrpid());
        assertEquals(0x9C4, id.psd0MaxPower());
        assertEquals(0, id.hmpre());
    }

    @Test
    void identifyNamespaceFieldByFieldForRamAndFile() throws Exception {
        controller.enable();
        assertIdentifyNamespace(controller.identifyNamespace(LoopTarget.RAM_NSID), RAM_BYTES / 512,
                LoopTarget.RAM_NGUID, LoopTarget.RAM_NSID);
        IdentifyNamespaceData file = controller.identifyNamespace(LoopTarget.FILE_NSID);
        assertIdentifyNamespace(file, FILE_BYTES / 512, LoopTarget.FILE_NGUID, LoopTarget.FILE_NSID);
        // a file namespace has no block device limits to report (nvmet_bdev_set_limits only runs for bdevs)
        assertEquals(0, file.nsfeat());
        assertEquals(0, file.npwg());
        assertEquals(0, file.nows());

        IdentifyNamespaceData inactive = controller.identifyNamespace(77);
        assertFalse(inactive.isActive());
        assertTrue(Arrays.equals(new byte[4096], inactive.bytes()), "an inactive NSID reads as all zeroes");

        HostNamespace ns = controller.namespace(LoopTarget.RAM_NSID);
        assertEquals(512, ns.blockSize());
        assertEquals(RAM_BYTES, ns.sizeBytes());
    }

    private static void assertIdentifyNamespace(IdentifyNamespaceData id, long blocks, String nguid, int nsid) {
        assertEquals(blocks, id.nsze());
        assertEquals(blocks, id.ncap());
        assertEquals(blocks, id.nuse());
        assertEquals(0, id.nlbaf(), "one LBA format");
        assertEquals(0, id.flbas());
        assertEquals(0, id.mc());
        assertEquals(0, id.dpc());
        assertEquals(0, id.dps());
        assertEquals(1, id.nmic(), "shared namespace");
        assertEquals(0, id.rescap());
        assertEquals(1, id.anagrpid());
        assertEquals(0, id.nsattr(), "not write protected");
        // Linux makes every namespace its own endurance group (ENDGID = NSID); with no endurance groups it is 0
        assertTrue(id.endgid() == 0 || id.endgid() == nsid, "ENDGID " + id.endgid());
        assertArrayEquals(HexFormat.of().parseHex(nguid), id.nguid());
        assertArrayEquals(new byte[8], id.eui64());
        assertEquals(9, id.lbafDataSizeShift(0));
        assertEquals(0, id.lbafMetadataSize(0));
        assertEquals(0, id.lbafRelativePerformance(0));
        assertEquals(9, id.lbaShift());
    }

    @Test
    void namespaceListsAndIdentifiers() throws Exception {
        controller.enable();
        assertArrayEquals(new int[] {1, 2}, controller.activeNamespaces(0));
        assertArrayEquals(new int[] {2}, controller.activeNamespaces(1));
        assertArrayEquals(new int[0], controller.activeNamespaces(2));

        List<NamespaceIdentifier> ids = controller.namespaceIdentifiers(LoopTarget.RAM_NSID);
        assertEquals(3, ids.size(), ids.toString());
        assertEquals(NamespaceIdDescriptor.NIDT_UUID, ids.get(0).type());
        assertEquals(LoopTarget.RAM_UUID, ids.get(0).uuid());
        assertEquals(new NamespaceIdentifier(NamespaceIdDescriptor.NIDT_NGUID,
                HexFormat.of().parseHex(LoopTarget.RAM_NGUID)), ids.get(1));
        assertEquals(new NamespaceIdentifier(NamespaceIdDescriptor.NIDT_CSI, new byte[] {0}), ids.get(2));
        assertEquals(LoopTarget.FILE_UUID, controller.namespaceIdentifiers(LoopTarget.FILE_NSID).get(0).uuid());

        NvmeStatusException absent = assertThrows(NvmeStatusException.class,
                () -> controller.namespaceIdentifiers(9));
        assertEquals(Status.INVALID_NS, absent.code());
        assertTrue(absent.dnr());
    }

    @Test
    void featuresSetAndGet() throws Exception {
        controller.enable();
        int queues = 127 | 127 << 16; // qid_max 128: 127 more queue pairs, 0's based
        assertEquals(queues, controller.setFeature(FeatureId.NUMBER_OF_QUEUES, 3 | 3 << 16));
        assertEquals(queues, controller.getFeature(FeatureId.NUMBER_OF_QUEUES, 0));
        assertEquals(128, controller.setNumberOfQueues(4));

        assertEquals(5000, controller.getFeature(FeatureId.KEEP_ALIVE_TIMER, 0), "Connect KATO 5 s");
        assertEquals(3, controller.setFeature(FeatureId.KEEP_ALIVE_TIMER, 2500), "KATO rounds up to seconds");
        assertEquals(3000, controller.getFeature(FeatureId.KEEP_ALIVE_TIMER, 0));

        assertEquals(0x900, controller.getFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 0));
        assertEquals(0x100, controller.setFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 0x100));
        assertEquals(0x100, controller.getFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 0));
        NvmeStatusException badAen = assertThrows(NvmeStatusException.class,
                () -> controller.setFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, FeatureId.AEN_CFG_DISCOVERY_CHANGE));
        assertEquals(Status.INVALID_FIELD, badAen.code());
        assertTrue(badAen.dnr());

        assertEquals(1, controller.getFeature(FeatureId.VOLATILE_WRITE_CACHE, 0));

        // Host Identifier: 16 bytes of data, only as the 128-bit identifier
        ByteBuf hostId = Unpooled.buffer(16, 16);
        Completion got = controller.adminQueue().execute(
                Commands.getFeatures(FeatureId.HOST_IDENTIFIER, FeatureId.HOST_ID_EXHID), null, hostId);
        assertEquals(Status.SUCCESS, got.status());
        assertEquals(target.host.hostId().getMostSignificantBits(), hostId.getLong(0));
        assertEquals(target.host.hostId().getLeastSignificantBits(), hostId.getLong(8));
        // the 64-bit form is not supported (nvmet_execute_get_features): Invalid Field once the length is right
        Completion shortId = controller.adminQueue().execute(Commands.getFeatures(FeatureId.HOST_IDENTIFIER, 0),
                null, Unpooled.buffer(16, 16));
        assertEquals(Status.INVALID_FIELD, Status.code(shortId.status()));
        assertTrue(Status.dnr(shortId.status()));
        // Host Identifier always transfers 16 bytes: without a buffer the SGL length is wrong
        NvmeStatusException noData = assertThrows(NvmeStatusException.class,
                () -> controller.getFeature(FeatureId.HOST_IDENTIFIER, FeatureId.HOST_ID_EXHID));
        assertEquals(Status.SGL_INVALID_DATA, noData.code());
        NvmeStatusException setId = assertThrows(NvmeStatusException.class,
                () -> controller.setFeature(FeatureId.HOST_IDENTIFIER, FeatureId.HOST_ID_EXHID));
        assertEquals(Status.CMD_SEQ_ERROR, setId.code(), "the host ID comes from Connect on fabrics");

        NvmeStatusException unknown = assertThrows(NvmeStatusException.class,
                () -> controller.getFeature(FeatureId.POWER_MANAGEMENT, 0));
        assertEquals(Status.INVALID_FIELD, unknown.code());
        assertTrue(unknown.dnr());
    }

    @Test
    void logPagesSmartAndErrorInformation() throws Exception {
        controller.enable();
        SmartHealthInfo before = controller.smartLog(0xFFFFFFFF);
        assertEquals(0, before.criticalWarning());
        long errorsBefore = before.errorLogEntries();

        // provoke one error with an error location: an unknown admin opcode
        CommandQueue admin = controller.adminQueue();
        ByteBuf bad = Commands.sqe(0xC9, 0);
        Completion c = admin.execute(bad, null, null);
        assertEquals(Status.INVALID_OPCODE, Status.code(c.status()));

        SmartHealthInfo after = controller.smartLog(0xFFFFFFFF);
        assertEquals(errorsBefore + 1, after.errorLogEntries(), "SMART counts error log entries");

        List<ErrorLogEntry> log = controller.errorLog(4);
        ErrorLogEntry newest = log.get(0);
        assertEquals(after.errorLogEntries(), newest.errorCount());
        assertEquals(0, newest.sqid());
        assertEquals(Status.INVALID_OPCODE | Status.DNR, newest.status());
        assertEquals(SubmissionQueueEntry.OPCODE, newest.parameterErrorLocation());
        assertTrue(newest.cid() < admin.depth());

        // SMART for one namespace; an absent one fails as nvmet_req_find_ns does
        assertEquals(after.errorLogEntries(), controller.smartLog(LoopTarget.RAM_NSID).errorLogEntries());
        NvmeStatusException absent = assertThrows(NvmeStatusException.class, () -> controller.smartLog(42));
        assertEquals(Status.INVALID_NS, absent.code());

        // a log page the controller does not have
        NvmeStatusException unknown = assertThrows(NvmeStatusException.class,
                () -> controller.getLogPage(0x7F, 0, 512, 0, false));
        assertEquals(Status.INVALID_FIELD, unknown.code());
        assertTrue(unknown.dnr());
        // firmware slot log: one read-only slot, all zero
        assertArrayEquals(new byte[512], controller.getLogPage(LogPageId.FIRMWARE_SLOT, 0, 512, 0, false));
    }

    @Test
    void asyncEventOnNamespaceAddThenChangedNamespaceLogListsIt() throws Exception {
        controller.enable();
        assertArrayEquals(new int[0], controller.changedNamespaces(), "nothing changed since connect");
        CompletableFuture<AsyncEvent> event = controller.asyncEventRequest();
        Thread.sleep(50);
        assertFalse(event.isDone(), "no event yet");

        target.core.putNamespace(LoopTarget.NQN, NamespaceSpec.of(5, "ram:1M"));
        AsyncEvent e = event.get(5, TimeUnit.SECONDS);
        assertEquals(new AsyncEvent(AsyncEventType.NOTICE, AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED,
                LogPageId.CHANGED_NAMESPACE_LIST), e);

        assertArrayEquals(new int[] {5}, controller.changedNamespaces());
        assertArrayEquals(new int[0], controller.changedNamespaces(), "reading the log clears it");
        assertArrayEquals(new int[] {1, 2, 5}, controller.activeNamespaces(0));

        // reading the log without RAE re-armed the event: removing the namespace reports again, and a host may
        // read the log right from the event's callback, as Linux's nvme_aen work does
        CompletableFuture<int[]> reaction = controller.asyncEventRequest().thenApply(ev -> {
            try {
                return controller.changedNamespaces();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        target.core.removeNamespace(LoopTarget.NQN, 5);
        assertArrayEquals(new int[] {5}, reaction.get(5, TimeUnit.SECONDS));
        assertArrayEquals(new int[] {1, 2}, controller.activeNamespaces(0));
    }

    @Test
    void asyncEventRequestsBeyondAerlFailWithAsyncLimit() throws Exception {
        controller.enable();
        for (int i = 0; i < 4; i++) {
            controller.asyncEventRequest();
        }
        CompletableFuture<AsyncEvent> fifth = controller.asyncEventRequest();
        Exception e = assertThrows(Exception.class, () -> fifth.get(5, TimeUnit.SECONDS));
        NvmeStatusException s = (NvmeStatusException) e.getCause();
        assertEquals(Status.ASYNC_LIMIT, s.code());
        assertTrue(s.dnr());
        assertEquals(4, controller.adminQueue().inFlight(), "the four AERs stay outstanding");
    }

    @Test
    void ioQueuesConnectWithTheControllerIdAndCloseCleanly() throws Exception {
        controller.enable();
        controller.createIoQueues(2, 32);
        assertEquals(2, target.core.controllers().get(0).ioQueues());
        HostNamespace ns = controller.namespace(LoopTarget.RAM_NSID);
        ByteBuf data = Unpooled.buffer(4096).writeZero(4096);
        data.setByte(0, 0x5A);
        controller.ioQueue(1).write(ns, 8, data, false);
        ByteBuf back = Unpooled.buffer(4096);
        controller.ioQueue(0).read(ns, 8, 8, back);
        assertEquals(0x5A, back.getByte(0));
        controller.close();
        assertEquals(List.of(), target.core.controllers(), "closing the host deletes the controller");
    }

    /**
     * ENDGIDMAX must agree with what the controller does: Linux reports 1024 with every namespace its own
     * endurance group (ENDGID = NSID) and serves the Endurance Group log (09h); 0 means none of that.
     */
    private void assertEnduranceGroups(int endgidmax) throws Exception {
        int endgid = controller.identifyNamespace(LoopTarget.RAM_NSID).endgid();
        ByteBuf log = Unpooled.buffer(512, 512);
        ByteBuf sqe = Commands.getLogPage(LogPageId.ENDURANCE_GROUP, 0, 512, 0, false);
        sqe.setShortLE(org.jnvmet.protocol.nvme.GetLogPageCommand.LSI, LoopTarget.RAM_NSID);
        Completion c = controller.adminQueue().execute(sqe, null, log);
        if (endgidmax == 0) {
            assertEquals(0, endgid, "ENDGID without endurance groups");
            assertEquals(Status.INVALID_FIELD, Status.code(c.status()), "log 09h without endurance groups");
        } else {
            assertEquals(1024, endgidmax, "Linux: NVMET_MAX_NAMESPACES");
            assertEquals(LoopTarget.RAM_NSID, endgid);
            assertTrue(c.isSuccess(), "Endurance Group log: " + c);
        }
    }

    private static ByteBuf nsid(ByteBuf sqe, int nsid) {
        SubmissionQueueEntry.setNsid(sqe, nsid);
        return sqe;
    }

    private static byte[] padded(String s, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) ' ');
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
