package org.jnvmet.backend.passthru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.junit.jupiter.api.Test;

class PassthruCmd64Test {
    /** struct nvme_passthru_cmd64 as include/uapi/linux/nvme_ioctl.h declares it, laid out by jnr-ffi's C rules. */
    static final class CStruct extends Struct {
        final Unsigned8 opcode = new Unsigned8();
        final Unsigned8 flags = new Unsigned8();
        final Unsigned16 rsvd1 = new Unsigned16();
        final Unsigned32 nsid = new Unsigned32();
        final Unsigned32 cdw2 = new Unsigned32();
        final Unsigned32 cdw3 = new Unsigned32();
        final Unsigned64 metadata = new Unsigned64();
        final Unsigned64 addr = new Unsigned64();
        final Unsigned32 metadataLen = new Unsigned32();
        final Unsigned32 dataLen = new Unsigned32();
        final Unsigned32 cdw10 = new Unsigned32();
        final Unsigned32 cdw11 = new Unsigned32();
        final Unsigned32 cdw12 = new Unsigned32();
        final Unsigned32 cdw13 = new Unsigned32();
        final Unsigned32 cdw14 = new Unsigned32();
        final Unsigned32 cdw15 = new Unsigned32();
        final Unsigned32 timeoutMs = new Unsigned32();
        final Unsigned32 rsvd2 = new Unsigned32();
        final Unsigned64 result = new Unsigned64();

        CStruct(Runtime runtime) {
            super(runtime);
        }
    }

    @Test
    void offsetsMatchTheCLayout() {
        CStruct s = new CStruct(Native.runtime());
        assertEquals(PassthruCmd64.SIZE, Struct.size(s));
        assertEquals(80, PassthruCmd64.SIZE);
        assertEquals(PassthruCmd64.OPCODE, s.opcode.offset());
        assertEquals(PassthruCmd64.FLAGS, s.flags.offset());
        assertEquals(PassthruCmd64.RSVD1, s.rsvd1.offset());
        assertEquals(PassthruCmd64.NSID, s.nsid.offset());
        assertEquals(PassthruCmd64.CDW2, s.cdw2.offset());
        assertEquals(PassthruCmd64.CDW3, s.cdw3.offset());
        assertEquals(PassthruCmd64.METADATA, s.metadata.offset());
        assertEquals(PassthruCmd64.ADDR, s.addr.offset());
        assertEquals(PassthruCmd64.METADATA_LEN, s.metadataLen.offset());
        assertEquals(PassthruCmd64.DATA_LEN, s.dataLen.offset());
        assertEquals(PassthruCmd64.CDW10, s.cdw10.offset());
        assertEquals(PassthruCmd64.CDW15, s.cdw15.offset());
        assertEquals(PassthruCmd64.TIMEOUT_MS, s.timeoutMs.offset());
        assertEquals(PassthruCmd64.RSVD2, s.rsvd2.offset());
        assertEquals(PassthruCmd64.RESULT, s.result.offset());
    }

    @Test
    void encodesAnSqe() {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        SubmissionQueueEntry.setOpcode(sqe, 0x06);
        SubmissionQueueEntry.setFlags(sqe, 0x40 | 0x01); // PSDT is the driver's: dropped
        SubmissionQueueEntry.setCid(sqe, 0xBEEF);
        SubmissionQueueEntry.setNsid(sqe, 0x11223344);
        sqe.setIntLE(SubmissionQueueEntry.CDW2, 0x22);
        sqe.setIntLE(SubmissionQueueEntry.CDW3, 0x33);
        sqe.setLongLE(SubmissionQueueEntry.DPTR, 0x5555_5555_5555_5555L); // host SGL: never reaches the device
        for (int n = 10; n <= 15; n++) {
            SubmissionQueueEntry.setCdw(sqe, n, 0xA0 + n);
        }
        Pointer p = Native.allocate(PassthruCmd64.SIZE);
        p.putLong(PassthruCmd64.RESULT, -1);
        PassthruCmd64.encode(p, sqe, 0x7000_1000L, 4096, 1500);

        CStruct s = new CStruct(Native.runtime());
        s.useMemory(p);
        assertEquals(0x06, s.opcode.get());
        assertEquals(0x01, s.flags.get());
        assertEquals(0, s.rsvd1.get());
        assertEquals(0x11223344, s.nsid.get());
        assertEquals(0x22, s.cdw2.get());
        assertEquals(0x33, s.cdw3.get());
        assertEquals(0, s.metadata.get());
        assertEquals(0x7000_1000L, s.addr.get());
        assertEquals(0, s.metadataLen.get());
        assertEquals(4096, s.dataLen.get());
        assertEquals(0xAA, s.cdw10.get());
        assertEquals(0xAF, s.cdw15.get());
        assertEquals(1500, s.timeoutMs.get());
        assertEquals(0, s.result.get()); // cleared before the ioctl
        sqe.release();
    }

    @Test
    void noDataMeansNullAddress() {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        Pointer p = Native.allocate(PassthruCmd64.SIZE);
        PassthruCmd64.encode(p, sqe, 0x1234, 0, 0);
        assertEquals(0, p.getLong(PassthruCmd64.ADDR));
        assertEquals(0, p.getInt(PassthruCmd64.TIMEOUT_MS));
    }
}
