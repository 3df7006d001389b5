package org.jnvmet.protocol.fabrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.UUID;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.junit.jupiter.api.Test;

class FabricsLayoutsTest {

    @Test
    void connectCommandRoundTrip() {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE);
        try {
            ConnectCommand.set(sqe, 3, 127, ConnectCommand.CATTR_DISABLE_SQ_FLOW, 0xFFFF_FFFFL);
            assertTrue(FabricsCommandType.isFabrics(sqe));
            assertEquals(FabricsCommandType.CONNECT, FabricsCommandType.fctype(sqe));
            assertEquals(0, ConnectCommand.recfmt(sqe));
            assertEquals(3, ConnectCommand.qid(sqe));
            assertEquals(127, ConnectCommand.sqsize(sqe));
            assertEquals(4, ConnectCommand.cattr(sqe));
            assertEquals(0xFFFF_FFFFL, ConnectCommand.kato(sqe), "KATO is unsigned");
            // offsets the Linux target reports in IPO (offsetof(struct nvmf_connect_command, ...))
            assertEquals(44, ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE));
            assertEquals(42, ConnectCommand.QID);
        } finally {
            sqe.release();
        }
    }

    @Test
    void connectDataRoundTrip() {
        ByteBuf data = Unpooled.buffer(ConnectData.SIZE);
        try {
            UUID host = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
            ConnectData.set(data, host, ConnectData.CNTLID_DYNAMIC, "nqn.2014-08.org.example:sub", "nqn.h:1");
            assertEquals(0xFFFF, ConnectData.cntlid(data));
            assertEquals("nqn.2014-08.org.example:sub", ConnectData.subnqn(data));
            assertEquals("nqn.h:1", ConnectData.hostnqn(data));
            byte[] id = ConnectData.hostid(data);
            assertEquals(0x01, id[0]);
            assertEquals((byte) 0xEF, id[15]);
            assertEquals(0x10100, ConnectResponse.invalidDataField(ConnectData.SUBNQN));
            assertEquals(0x10010, ConnectResponse.invalidDataField(ConnectData.CNTLID));
        } finally {
            data.release();
        }
    }

    @Test
    void unterminatedNqnStopsAtByte255LikeLinux() {
        ByteBuf data = Unpooled.buffer(ConnectData.SIZE);
        try {
            data.writerIndex(ConnectData.SIZE);
            for (int i = 0; i < 256; i++) {
                data.setByte(ConnectData.SUBNQN + i, 'a');
            }
            assertEquals(255, ConnectData.subnqn(data).length());
        } finally {
            data.release();
        }
    }

    @Test
    void propertyCommandsRoundTrip() {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE);
        try {
            PropertySetCommand.set(sqe, 0x14, 0x460001, false);
            assertEquals(FabricsCommandType.PROPERTY_SET, FabricsCommandType.fctype(sqe));
            assertEquals(0x14, PropertySetCommand.offset(sqe));
            assertEquals(0x460001, PropertySetCommand.value(sqe));
            PropertyGetCommand.set(sqe, 0, true);
            assertEquals(FabricsCommandType.PROPERTY_GET, FabricsCommandType.fctype(sqe));
            assertEquals(1, PropertyGetCommand.attrib(sqe));
        } finally {
            sqe.release();
        }
    }

    @Test
    void discoveryLogLayout() {
        assertEquals(1024, DiscoveryLogPage.HEADER_SIZE);
        assertEquals(1024, DiscoveryLogPage.ENTRY_SIZE);
        assertEquals(2048, DiscoveryLogPage.entryOffset(1));
        assertEquals(3, DiscoveryLogPage.trtype("tcp"));
        assertEquals(254, DiscoveryLogPage.trtype("loop"));
        assertEquals(2, DiscoveryLogPage.adrfam("ipv6"));
        ByteBuf log = Unpooled.buffer(2048);
        try {
            log.setLongLE(DiscoveryLogPage.GENCTR, 5);
            log.setLongLE(DiscoveryLogPage.NUMREC, 1);
            log.setByte(DiscoveryLogPage.entryOffset(0) + DiscoveryLogPage.SUBTYPE, DiscoveryLogPage.SUBTYPE_NVME);
            log.setBytes(DiscoveryLogPage.entryOffset(0) + DiscoveryLogPage.TRADDR, "10.0.0.1".getBytes());
            assertEquals(5, DiscoveryLogPage.genctr(log));
            assertEquals(1, DiscoveryLogPage.numrec(log));
            assertEquals(2, DiscoveryLogPage.subtype(log, 0));
            assertEquals("10.0.0.1", DiscoveryLogPage.traddr(log, 0));
            assertArrayEquals(new byte[0], DiscoveryLogPage.subnqn(log, 0).getBytes());
        } finally {
            log.release();
        }
    }
}
