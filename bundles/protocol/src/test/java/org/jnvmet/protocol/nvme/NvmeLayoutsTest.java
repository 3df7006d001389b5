package org.jnvmet.protocol.nvme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class NvmeLayoutsTest {

    @Test
    void identifyControllerOffsetsMatchTheSpecification() {
        // NVMe Base 2.0 Figure 275 byte ranges.
        assertEquals(4096, IdentifyController.SIZE);
        assertEquals(4, IdentifyController.SN);
        assertEquals(24, IdentifyController.MN);
        assertEquals(64, IdentifyController.FR);
        assertEquals(77, IdentifyController.MDTS);
        assertEquals(78, IdentifyController.CNTLID);
        assertEquals(111, IdentifyController.CNTRLTYPE);
        assertEquals(256, IdentifyController.OACS);
        assertEquals(320, IdentifyController.KAS);
        assertEquals(512, IdentifyController.SQES);
        assertEquals(516, IdentifyController.NN);
        assertEquals(536, IdentifyController.SGLS);
        assertEquals(768, IdentifyController.SUBNQN);
        assertEquals(1792, IdentifyController.IOCCSZ);
        assertEquals(1803, IdentifyController.MSDBD);
        assertEquals(2048, IdentifyController.PSD0);
        // fields do not overlap their neighbours
        assertEquals(IdentifyController.MN, IdentifyController.SN + IdentifyController.SN_LENGTH);
        assertEquals(IdentifyController.FR, IdentifyController.MN + IdentifyController.MN_LENGTH);
        assertEquals(IdentifyController.RAB, IdentifyController.FR + IdentifyController.FR_LENGTH);
    }

    @Test
    void identifyControllerStringsAndOuiRoundTrip() {
        ByteBuf id = Unpooled.buffer(IdentifyController.SIZE);
        try {
            AsciiField.setSpacePadded(id, IdentifyController.SN, IdentifyController.SN_LENGTH, "abc123");
            AsciiField.setSpacePadded(id, IdentifyController.MN, IdentifyController.MN_LENGTH, "Linux");
            AsciiField.setNulPadded(id, IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH, "nqn.x:y");
            IdentifyController.setIeeeOui(id, 0x0A1B2C);
            assertEquals("abc123", IdentifyController.serialNumber(id));
            assertEquals((byte) ' ', id.getByte(IdentifyController.SN + 19), "space padded");
            assertEquals("Linux", IdentifyController.modelNumber(id));
            assertEquals("nqn.x:y", IdentifyController.subsystemNqn(id));
            assertEquals(0x2C, id.getUnsignedByte(IdentifyController.IEEE), "OUI least significant byte first");
            assertEquals(0x0A1B2C, IdentifyController.ieeeOui(id));
            assertEquals(1 << 20, IdentifyController.maxDataTransferBytes(8, 0));
            assertEquals(0, IdentifyController.maxDataTransferBytes(0, 0));
        } finally {
            id.release();
        }
    }

    @Test
    void identifyNamespaceOffsetsAndLbaFormat() {
        assertEquals(4096, IdentifyNamespace.SIZE);
        assertEquals(26, IdentifyNamespace.FLBAS);
        assertEquals(30, IdentifyNamespace.NMIC);
        assertEquals(92, IdentifyNamespace.ANAGRPID);
        assertEquals(104, IdentifyNamespace.NGUID);
        assertEquals(120, IdentifyNamespace.EUI64);
        assertEquals(128, IdentifyNamespace.LBAF0);
        assertEquals(IdentifyNamespace.VS, IdentifyNamespace.LBAF0 + 64 * 4);
        ByteBuf id = Unpooled.buffer(IdentifyNamespace.SIZE);
        try {
            id.setByte(IdentifyNamespace.lbaf(0) + IdentifyNamespace.LBAF_LBADS, 12);
            assertEquals(12, IdentifyNamespace.lbaDataSizeShift(id));
            id.setByte(IdentifyNamespace.FLBAS, 1);
            id.setByte(IdentifyNamespace.lbaf(1) + IdentifyNamespace.LBAF_LBADS, 9);
            assertEquals(9, IdentifyNamespace.lbaDataSizeShift(id));
        } finally {
            id.release();
        }
    }

    @Test
    void logPageSizesMatchTheSpecification() {
        assertEquals(64, ErrorInformationLogEntry.SIZE);
        assertEquals(512, SmartHealthLog.SIZE);
        assertEquals(176, SmartHealthLog.NUMBER_OF_ERROR_LOG_ENTRIES);
        assertEquals(512, FirmwareSlotLog.SIZE);
        assertEquals(4096, ChangedNamespaceListLog.SIZE);
        assertEquals(4096, CommandsSupportedAndEffectsLog.SIZE);
        assertEquals(1024, CommandsSupportedAndEffectsLog.IOCS);
        assertEquals(1, SmartHealthLog.dataUnits(1));
        assertEquals(1, SmartHealthLog.dataUnits(1000));
        assertEquals(2, SmartHealthLog.dataUnits(1001));
        assertEquals(0, SmartHealthLog.dataUnits(0));
    }

    @Test
    void getLogPageLengthAndOffsetRoundTrip() {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
        try {
            sqe.writerIndex(SubmissionQueueEntry.SIZE);
            GetLogPageCommand.set(sqe, LogPageId.DISCOVERY, 0, 4L << 20, 1024, true);
            assertEquals(LogPageId.DISCOVERY, GetLogPageCommand.lid(sqe));
            assertEquals(4L << 20, GetLogPageCommand.length(sqe), "length needs NUMDU as well as NUMDL");
            assertEquals(1024, GetLogPageCommand.offset(sqe));
            assertTrue(GetLogPageCommand.rae(sqe));
            // NUMD all ones: 2^32 dwords, 16 GiB, does not overflow
            sqe.setShortLE(GetLogPageCommand.NUMDL, 0xFFFF);
            sqe.setShortLE(GetLogPageCommand.NUMDU, 0xFFFF);
            assertEquals(16L << 30, GetLogPageCommand.length(sqe));
        } finally {
            sqe.release();
        }
    }

    @Test
    void readWriteFieldsRoundTrip() {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE);
        try {
            ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 7, 0x1_0000_0001L, 65536, true);
            assertEquals(NvmOpcode.WRITE, SubmissionQueueEntry.opcode(sqe));
            assertEquals(7, SubmissionQueueEntry.nsid(sqe));
            assertEquals(0x1_0000_0001L, ReadWriteCommand.slba(sqe));
            assertEquals(65536, ReadWriteCommand.blocks(sqe), "NLB is 0's based");
            assertTrue(ReadWriteCommand.fua(sqe));
            assertTrue(AdminOpcode.transfersHostToController(NvmOpcode.WRITE));
            assertTrue(AdminOpcode.transfersControllerToHost(NvmOpcode.READ));
            assertTrue(NvmOpcode.isReservation(NvmOpcode.RESERVATION_ACQUIRE));
            assertFalse(NvmOpcode.isReservation(NvmOpcode.COMPARE));
        } finally {
            sqe.release();
        }
    }

    @Test
    void namespaceIdDescriptorsRoundTrip() {
        ByteBuf list = Unpooled.buffer(NamespaceIdDescriptor.LIST_SIZE, NamespaceIdDescriptor.LIST_SIZE);
        try {
            byte[] uuid = new byte[16];
            uuid[0] = 1;
            uuid[15] = 2;
            int off = NamespaceIdDescriptor.write(list, 0, NamespaceIdDescriptor.NIDT_UUID, uuid);
            assertEquals(20, off);
            off = NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_CSI, new byte[] {0});
            assertEquals(25, off);
            assertArrayEquals(uuid, NamespaceIdDescriptor.find(list, NamespaceIdDescriptor.NIDT_UUID));
            assertArrayEquals(new byte[] {0}, NamespaceIdDescriptor.find(list, NamespaceIdDescriptor.NIDT_CSI));
            assertNull(NamespaceIdDescriptor.find(list, NamespaceIdDescriptor.NIDT_EUI64));
        } finally {
            list.release();
        }
    }

    @Test
    void controllerRegisterFields() {
        assertEquals(0x14, ControllerRegisters.CC);
        assertEquals(0x1C, ControllerRegisters.CSTS);
        assertEquals(0x68, ControllerRegisters.CRTO);
        int cc = ControllerRegisters.ccEnableNvm();
        assertTrue(ControllerRegisters.ccEnabled(cc));
        assertEquals(6, ControllerRegisters.ccIosqes(cc));
        assertEquals(4, ControllerRegisters.ccIocqes(cc));
        assertEquals(0x00460001, cc);
        assertEquals(0x00010300, ControllerRegisters.version(1, 3, 0));
        long cap = 127 | 15L << ControllerRegisters.CAP_TO_SHIFT | ControllerRegisters.CAP_CSS_NVM;
        assertEquals(127, ControllerRegisters.capMqes(cap));
        assertEquals(15, ControllerRegisters.capTimeout(cap));
        assertEquals(0, ControllerRegisters.capMpsmin(cap));
        assertEquals(2 << 2, ControllerRegisters.CSTS_SHST_COMPLETE);
    }

    @Test
    void asyncEventResultEncoding() {
        int r = AsyncEventType.result(AsyncEventType.NOTICE, AsyncEventType.NOTICE_DISCOVERY_LOG_CHANGED,
                LogPageId.DISCOVERY);
        assertEquals(0x70F002, r);
        assertEquals(AsyncEventType.NOTICE, AsyncEventType.type(r));
        assertEquals(0xF0, AsyncEventType.info(r));
        assertEquals(0x70, AsyncEventType.logPage(r));
        assertEquals(0x040002, AsyncEventType.result(AsyncEventType.NOTICE,
                AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, LogPageId.CHANGED_NAMESPACE_LIST));
    }
}
