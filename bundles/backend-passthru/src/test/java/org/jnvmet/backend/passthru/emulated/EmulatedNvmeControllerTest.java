package org.jnvmet.backend.passthru.emulated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.jnvmet.backend.passthru.internal.Errno;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ChangedNamespaceListLog;
import org.jnvmet.protocol.nvme.CommandsSupportedAndEffectsLog;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.FirmwareSlotLog;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.DeviceResult;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmulatedNvmeControllerTest {
    EmulatedNvmeController ctrl;
    NvmeDevice dev;
    ByteBuf sqe;

    @BeforeEach
    void setUp() {
        ctrl = EmulatedNvmeController.withDefaults("t1");
        dev = ctrl.open("emulated:t1");
        sqe = Unpooled.buffer(64);
        clearSqe();
    }

    @AfterEach
    void tearDown() {
        dev.close();
        ctrl.shutdown();
        sqe.release();
    }

    private void clearSqe() {
        sqe.clear().writeZero(64);
    }

    private DeviceResult admin(ByteBuf data, int length) throws Exception {
        return dev.submitAdmin(sqe, data, length, 0).get(5, TimeUnit.SECONDS);
    }

    private DeviceResult io(ByteBuf data, int length) throws Exception {
        return dev.submitIo(sqe, data, length, 0).get(5, TimeUnit.SECONDS);
    }

    private ByteBuf identify(int cns, int nsid) throws Exception {
        clearSqe();
        IdentifyCommand.set(sqe, cns, nsid, 0);
        ByteBuf data = Unpooled.directBuffer(4096);
        DeviceResult r = admin(data, 4096);
        assertEquals(0, r.status(), () -> Status.toString(r.status()));
        assertEquals(4096, data.readableBytes());
        return data;
    }

    private ByteBuf log(int lid, int length) throws Exception {
        clearSqe();
        GetLogPageCommand.set(sqe, lid, -1, length, 0, false);
        ByteBuf data = Unpooled.buffer(length);
        DeviceResult r = admin(data, length);
        assertEquals(0, r.status(), () -> Status.toString(r.status()));
        return data;
    }

    @Test
    void identifyControllerDescribesTheDevice() throws Exception {
        ByteBuf id = identify(IdentifyCns.CONTROLLER, 0);
        EmulatedControllerConfig cfg = ctrl.config();
        assertEquals(cfg.vendorId(), id.getUnsignedShortLE(IdentifyController.VID));
        assertEquals(cfg.serial(), IdentifyController.serialNumber(id));
        assertEquals(cfg.model(), IdentifyController.modelNumber(id));
        assertEquals("EMU1.0", IdentifyController.firmwareRevision(id));
        assertEquals(7, id.getUnsignedByte(IdentifyController.MDTS)); // 512 KiB in 4 KiB pages
        assertEquals(cfg.version(), id.getIntLE(IdentifyController.VER));
        assertEquals(3, id.getIntLE(IdentifyController.NN));
        assertEquals("nqn.2024-01.org.jnvmet:emulated:t1", IdentifyController.subsystemNqn(id));
        // what a passthru target has to rewrite is deliberately different from a fabrics controller's
        assertTrue(id.getIntLE(IdentifyController.HMPRE) != 0);
        assertTrue((id.getUnsignedShortLE(IdentifyController.ONCS) & IdentifyController.ONCS_RESERVATIONS) != 0);
        assertEquals(1, id.getUnsignedShortLE(IdentifyController.FUSES));
        id.release();
    }

    @Test
    void namespacesHaveTheirOwnFormats() throws Exception {
        ByteBuf list = identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0);
        assertEquals(3, NamespaceIdList.count(list));
        assertEquals(List.of(1, 2, 3), List.of(NamespaceIdList.get(list, 0), NamespaceIdList.get(list, 1),
                NamespaceIdList.get(list, 2)));
        ByteBuf ns1 = identify(IdentifyCns.NAMESPACE, 1);
        assertEquals((64L << 20) / 512, IdentifyNamespace.nsze(ns1));
        assertEquals(9, IdentifyNamespace.lbaDataSizeShift(ns1));
        ByteBuf ns2 = identify(IdentifyCns.NAMESPACE, 2);
        assertEquals((64L << 20) / 4096, IdentifyNamespace.nsze(ns2));
        assertEquals(12, IdentifyNamespace.lbaDataSizeShift(ns2));
        ByteBuf ns3 = identify(IdentifyCns.NAMESPACE, 3);
        assertEquals(3, ns3.getUnsignedByte(IdentifyNamespace.NLBAF));
        assertEquals(8, ns3.getUnsignedShortLE(IdentifyNamespace.lbaf(1) + IdentifyNamespace.LBAF_MS));
        assertEquals(64, ns3.getUnsignedShortLE(IdentifyNamespace.lbaf(3) + IdentifyNamespace.LBAF_MS));
        assertEquals(0x10, ns3.getUnsignedByte(IdentifyNamespace.FLBAS));
        assertEquals(3, ns3.getUnsignedByte(IdentifyNamespace.MC));
        ByteBuf desc = identify(IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, 1);
        byte[] nguid = new byte[16];
        ns1.getBytes(IdentifyNamespace.NGUID, nguid);
        assertArrayEquals(nguid, NamespaceIdDescriptor.find(desc, NamespaceIdDescriptor.NIDT_NGUID));
        assertArrayEquals(new byte[] {0}, NamespaceIdDescriptor.find(desc, NamespaceIdDescriptor.NIDT_CSI));
        clearSqe();
        IdentifyCommand.set(sqe, IdentifyCns.NAMESPACE, 9, 0);
        assertEquals(Status.INVALID_NS | Status.DNR, admin(Unpooled.buffer(4096), 4096).status());
        for (ByteBuf b : List.of(list, ns1, ns2, ns3, desc)) {
            b.release();
        }
    }

    @Test
    void readWriteCompareZeroesAndDeallocate() throws Exception {
        byte[] pattern = new byte[8192];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + 3);
        }
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 2, 5, 2, false);
        assertEquals(0, io(Unpooled.wrappedBuffer(pattern), 8192).status());
        assertArrayEquals(pattern, ctrl.readRaw(2, 5 * 4096, 8192));

        clearSqe();
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 2, 5, 2, false);
        ByteBuf in = Unpooled.directBuffer(8192);
        assertEquals(0, io(in, 8192).status());
        byte[] read = new byte[8192];
        in.getBytes(0, read);
        assertArrayEquals(pattern, read);

        clearSqe();
        ReadWriteCommand.set(sqe, NvmOpcode.COMPARE, 2, 5, 2, false);
        assertEquals(0, io(Unpooled.wrappedBuffer(pattern), 8192).status());
        byte[] other = pattern.clone();
        other[100] ^= 1;
        assertEquals(Status.COMPARE_FAILED, io(Unpooled.wrappedBuffer(other), 8192).status());

        clearSqe();
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE_ZEROES, 2, 6, 1, false);
        assertEquals(0, io(null, 0).status());
        assertArrayEquals(new byte[4096], ctrl.readRaw(2, 6 * 4096, 4096));

        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.DATASET_MANAGEMENT);
        SubmissionQueueEntry.setNsid(sqe, 2);
        SubmissionQueueEntry.setCdw(sqe, 11, DatasetManagement.ATTR_AD);
        ByteBuf ranges = Unpooled.buffer(16).writeZero(16);
        DatasetManagement.setRange(ranges, 0, 5, 1);
        assertEquals(0, io(ranges, 16).status());
        assertArrayEquals(new byte[4096], ctrl.readRaw(2, 5 * 4096, 4096));
        in.release();
    }

    @Test
    void ioErrorsLikeADevice() throws Exception {
        long blocks = (64L << 20) / 512;
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, blocks - 1, 2, false);
        assertEquals(Status.LBA_RANGE | Status.DNR, io(Unpooled.buffer(1024), 1024).status());
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 2, false);
        assertEquals(Status.INVALID_FIELD | Status.DNR, io(Unpooled.buffer(4096), 512).status());
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 7, 0, 1, false);
        assertEquals(Status.INVALID_NS | Status.DNR, io(Unpooled.buffer(512), 512).status());
        ReadWriteCommand.set(sqe, NvmOpcode.RESERVATION_REPORT, 1, 0, 1, false);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, io(Unpooled.buffer(512), 512).status());
        // larger than max_hw_sectors_kb (512 KiB): the driver refuses it
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 2, 0, 256, false);
        assertEquals(-Errno.EINVAL, io(Unpooled.buffer(1 << 20), 1 << 20).status());
    }

    @Test
    void vendorAdminCommandsMoveDataBothWays() throws Exception {
        byte[] payload = "jnvmet vendor payload, both directions".getBytes(StandardCharsets.US_ASCII);
        SubmissionQueueEntry.setOpcode(sqe, AdminCommands.VENDOR_STORE);
        DeviceResult stored = admin(Unpooled.wrappedBuffer(payload), payload.length);
        assertEquals(0, stored.status());
        CRC32C crc = new CRC32C();
        crc.update(payload);
        assertEquals((int) crc.getValue(), stored.dw0());

        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminCommands.VENDOR_FETCH);
        SubmissionQueueEntry.setCdw(sqe, 12, 0x5A);
        ByteBuf out = Unpooled.buffer(64);
        DeviceResult fetched = admin(out, 64);
        assertEquals(0, fetched.status());
        assertEquals(payload.length, fetched.dw0());
        assertEquals(64, out.readableBytes());
        for (int i = 0; i < 64; i++) {
            int expect = i < payload.length ? (payload[i] ^ 0x5A) & 0xFF : 0;
            assertEquals(expect, out.getUnsignedByte(i), "byte " + i);
        }
        assertEquals(1, ctrl.executed(true, AdminCommands.VENDOR_FETCH));
    }

    @Test
    void vendorIoCommandsMoveDataBothWays() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        SubmissionQueueEntry.setOpcode(sqe, IoCommands.VENDOR_STORE);
        SubmissionQueueEntry.setNsid(sqe, 3);
        assertEquals(0, io(Unpooled.wrappedBuffer(payload), payload.length).status());
        SubmissionQueueEntry.setOpcode(sqe, IoCommands.VENDOR_FETCH);
        ByteBuf out = Unpooled.buffer(9);
        DeviceResult r = io(out, 9);
        assertEquals(0, r.status());
        assertEquals(9, r.dw0());
        byte[] got = new byte[9];
        out.getBytes(0, got);
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, got);
        SubmissionQueueEntry.setNsid(sqe, 1); // per namespace: nothing stored there
        ByteBuf empty = Unpooled.buffer(9);
        assertEquals(0, io(empty, 9).dw0());
    }

    @Test
    void logPages() throws Exception {
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 1, 0, 4, false);
        io(Unpooled.wrappedBuffer(new byte[2048]), 2048);
        ByteBuf smart = log(LogPageId.SMART_HEALTH, 512);
        assertEquals(1, SmartHealthLog.get128Low(smart, SmartHealthLog.HOST_WRITE_COMMANDS));
        assertEquals(1, SmartHealthLog.get128Low(smart, SmartHealthLog.DATA_UNITS_WRITTEN)); // 4 sectors round up
        assertEquals(0, smart.getUnsignedByte(SmartHealthLog.CRITICAL_WARNING));

        ByteBuf effects = log(LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS, 4096);
        assertEquals(CommandsSupportedAndEffectsLog.CSUPP, CommandsSupportedAndEffectsLog.admin(effects, 0x06));
        assertTrue((CommandsSupportedAndEffectsLog.io(effects, NvmOpcode.WRITE) & CommandsSupportedAndEffectsLog.LBCC)
                != 0);
        assertEquals(0, CommandsSupportedAndEffectsLog.io(effects, NvmOpcode.RESERVATION_REGISTER));

        ByteBuf fw = log(LogPageId.FIRMWARE_SLOT, 512);
        assertEquals(1, fw.getUnsignedByte(FirmwareSlotLog.AFI));

        clearSqe();
        GetLogPageCommand.set(sqe, 0x42, -1, 512, 0, false);
        assertEquals(Status.INVALID_LOG_PAGE | Status.DNR, admin(Unpooled.buffer(512), 512).status());
        // offset into the log
        clearSqe();
        GetLogPageCommand.set(sqe, LogPageId.SMART_HEALTH, -1, 16, SmartHealthLog.HOST_WRITE_COMMANDS, false);
        ByteBuf part = Unpooled.buffer(16);
        assertEquals(0, admin(part, 16).status());
        assertEquals(1, part.getLongLE(0));
    }

    @Test
    void featuresKeepValuesAndData() throws Exception {
        FeaturesCommand.setGet(sqe, FeatureId.VOLATILE_WRITE_CACHE, 0);
        assertEquals(1, admin(null, 0).dw0());
        FeaturesCommand.setSet(sqe, FeatureId.VOLATILE_WRITE_CACHE, 0);
        assertEquals(0, admin(null, 0).status());
        FeaturesCommand.setGet(sqe, FeatureId.VOLATILE_WRITE_CACHE, 0);
        assertEquals(0, admin(null, 0).dw0());

        byte[] behavior = new byte[512];
        behavior[0] = 1; // ACRE
        FeaturesCommand.setSet(sqe, FeatureId.HOST_BEHAVIOR_SUPPORT, 0);
        assertEquals(0, admin(Unpooled.wrappedBuffer(behavior), 512).status());
        FeaturesCommand.setGet(sqe, FeatureId.HOST_BEHAVIOR_SUPPORT, 0);
        ByteBuf got = Unpooled.buffer(512);
        assertEquals(0, admin(got, 512).status());
        assertEquals(1, got.getByte(0));

        FeaturesCommand.setSet(sqe, FeatureId.ARBITRATION, 7);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, FeatureId.ARBITRATION | FeaturesCommand.SV_BIT);
        assertEquals(Status.FEATURE_NOT_SAVEABLE | Status.DNR, admin(null, 0).status());
        FeaturesCommand.setGet(sqe, FeatureId.HOST_IDENTIFIER, 0);
        assertEquals(Status.INVALID_FIELD | Status.DNR, admin(null, 0).status());
    }

    @Test
    void formatChangesTheBlockSizeWipesDataAndRaisesAnEvent() throws Exception {
        BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
        dev.addEventListener((d, e) -> events.add(e));
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 1, 0, 1, false);
        byte[] block = new byte[512];
        block[0] = 1;
        block[3] = 4;
        io(Unpooled.wrappedBuffer(block), 512);
        assertEquals(4, ctrl.readRaw(1, 3, 1)[0]);
        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FORMAT_NVM);
        SubmissionQueueEntry.setNsid(sqe, 1);
        SubmissionQueueEntry.setCdw(sqe, 10, 1); // LBAF 1: 4096
        assertEquals(0, admin(null, 0).status());
        assertEquals(4096, ctrl.blockSize(1));
        assertArrayEquals(new byte[4], ctrl.readRaw(1, 0, 4));
        assertEquals(DeviceEvent.namespaceChanged(1), events.poll(5, TimeUnit.SECONDS));
        ByteBuf changed = log(LogPageId.CHANGED_NAMESPACE_LIST, ChangedNamespaceListLog.SIZE);
        assertEquals(1, NamespaceIdList.count(changed));
        assertEquals(1, NamespaceIdList.get(changed, 0));
        assertEquals(0, NamespaceIdList.count(log(LogPageId.CHANGED_NAMESPACE_LIST, 4096)), "cleared by reading");

        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FORMAT_NVM);
        SubmissionQueueEntry.setNsid(sqe, 1);
        SubmissionQueueEntry.setCdw(sqe, 10, 5);
        assertEquals(Status.INVALID_FORMAT | Status.DNR, admin(null, 0).status());
    }

    @Test
    void firmwareDownloadAndCommit() throws Exception {
        byte[] image = new byte[4096];
        System.arraycopy("EMU2.0".getBytes(StandardCharsets.US_ASCII), 0, image, 0, 6);
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FIRMWARE_DOWNLOAD);
        SubmissionQueueEntry.setCdw(sqe, 10, 4096 / 4 - 1);
        assertEquals(0, admin(Unpooled.wrappedBuffer(image), 4096).status());
        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FIRMWARE_COMMIT);
        SubmissionQueueEntry.setCdw(sqe, 10, 2 | 3 << 3); // slot 2, replace and activate now
        assertEquals(0, admin(null, 0).status());
        ByteBuf id = identify(IdentifyCns.CONTROLLER, 0);
        assertEquals("EMU2.0", IdentifyController.firmwareRevision(id));
        ByteBuf fw = log(LogPageId.FIRMWARE_SLOT, 512);
        assertEquals(2, fw.getUnsignedByte(FirmwareSlotLog.AFI) & 7);
        clearSqe();
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.FIRMWARE_COMMIT);
        SubmissionQueueEntry.setCdw(sqe, 10, 1); // replace read-only slot 1
        assertEquals(Status.FIRMWARE_SLOT | Status.DNR, admin(null, 0).status());
        id.release();
    }

    @Test
    void injectedErrorsCompleteWithoutExecutingAndAreLogged() throws Exception {
        ctrl.faults().failIo(NvmOpcode.READ, Status.READ_ERROR, 2);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        assertEquals(Status.READ_ERROR, io(Unpooled.buffer(512), 512).status());
        assertEquals(Status.READ_ERROR, io(Unpooled.buffer(512), 512).status());
        assertEquals(0, io(Unpooled.buffer(512), 512).status(), "the rule was for two commands");
        assertEquals(1, ctrl.executed(false, NvmOpcode.READ));

        ByteBuf errors = log(LogPageId.ERROR_INFORMATION, 128);
        assertEquals(2, errors.getLongLE(ErrorInformationLogEntry.ERROR_COUNT), "newest first");
        assertEquals(Status.READ_ERROR << 1, errors.getUnsignedShortLE(ErrorInformationLogEntry.STATUS_FIELD));
        assertEquals(1, errors.getIntLE(ErrorInformationLogEntry.NAMESPACE));
        ByteBuf smart = log(LogPageId.SMART_HEALTH, 512);
        assertEquals(2, SmartHealthLog.get128Low(smart, SmartHealthLog.MEDIA_ERRORS));

        ctrl.faults().failAdmin(AdminOpcode.IDENTIFY, -Errno.EIO);
        clearSqe();
        IdentifyCommand.set(sqe, 1, 0, 0);
        ByteBuf data = Unpooled.buffer(4096);
        assertEquals(-Errno.EIO, admin(data, 4096).status());
        assertEquals(0, data.writerIndex());
        ctrl.faults().clear();
        assertEquals(0, admin(data, 4096).status());
    }

    @Test
    void delaysAndTimeouts() throws Exception {
        ctrl.faults().delayIo(NvmOpcode.FLUSH, 150);
        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.FLUSH);
        SubmissionQueueEntry.setNsid(sqe, 1);
        long t0 = System.nanoTime();
        assertEquals(0, io(null, 0).status());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(150));
        // a delay beyond the command's timeout: the driver aborts it
        DeviceResult r = dev.submitIo(sqe, null, 0, 50).get(5, TimeUnit.SECONDS);
        assertEquals(Status.ABORT_REQ, r.status());
    }

    @Test
    void disappearanceFailsEveryCommandLikeARemovedDevice() throws Exception {
        BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
        dev.addEventListener((d, e) -> events.add(e));
        ctrl.faults().delayAdmin(AdminOpcode.IDENTIFY, 200);
        IdentifyCommand.set(sqe, 1, 0, 0);
        ByteBuf data = Unpooled.buffer(4096);
        var inFlight = dev.submitAdmin(sqe, data, 4096, 0);
        ctrl.remove();
        assertEquals(DeviceEvent.removed(), events.poll(5, TimeUnit.SECONDS));
        assertTrue(dev.isRemoved());
        assertEquals(-Errno.ENODEV, inFlight.get(5, TimeUnit.SECONDS).status());
        clearSqe();
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        assertEquals(-Errno.ENODEV, io(Unpooled.buffer(512), 512).status());
        assertEquals(0, data.writerIndex());
    }

    @Test
    void criticalWarningsAndResizeRaiseEvents() throws Exception {
        BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
        dev.addEventListener((d, e) -> events.add(e));
        ctrl.setCriticalWarning(DeviceEvent.CW_TEMPERATURE);
        DeviceEvent e = events.poll(5, TimeUnit.SECONDS);
        assertEquals(DeviceEvent.smartCriticalWarning(DeviceEvent.CW_TEMPERATURE), e);
        assertEquals(0x01 | 0x01 << 8 | 0x02 << 16, e.asyncEventResult()); // SMART, temperature, log 02h
        assertEquals(DeviceEvent.CW_TEMPERATURE,
                log(LogPageId.SMART_HEALTH, 512).getUnsignedByte(SmartHealthLog.CRITICAL_WARNING));
        ctrl.setCriticalWarning(DeviceEvent.CW_TEMPERATURE); // nothing new
        ctrl.resizeNamespace(2, 128L << 20);
        assertEquals(DeviceEvent.namespaceChanged(2), events.poll(5, TimeUnit.SECONDS));
        ByteBuf ns2 = identify(IdentifyCns.NAMESPACE, 2);
        assertEquals((128L << 20) / 4096, IdentifyNamespace.nsze(ns2));
        ns2.release();
        assertTrue(events.isEmpty());
    }

    @Test
    void closedHandlesFailWithEbadfAndGetNoEvents() throws Exception {
        BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
        dev.addEventListener((d, e) -> events.add(e));
        dev.close();
        assertEquals(0, ctrl.openHandles());
        ctrl.setCriticalWarning(1);
        IdentifyCommand.set(sqe, 1, 0, 0);
        assertEquals(-Errno.EBADF, admin(Unpooled.buffer(4096), 4096).status());
        assertFalse(events.poll(100, TimeUnit.MILLISECONDS) != null);
    }

    @Test
    void shutdownCompletesQueuedCommands() throws Exception {
        ctrl.faults().delayAll(10_000);
        SubmissionQueueEntry.setOpcode(sqe, NvmOpcode.FLUSH);
        SubmissionQueueEntry.setNsid(sqe, 1);
        var pending = dev.submitIo(sqe, null, 0, 0);
        ctrl.shutdown();
        assertEquals(-Errno.ENODEV, pending.get(5, TimeUnit.SECONDS).status());
    }
}
