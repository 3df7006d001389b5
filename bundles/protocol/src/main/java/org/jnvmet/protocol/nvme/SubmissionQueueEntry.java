package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Byte layout of a 64-byte Submission Queue Entry (NVMe Base 2.0, 4.2 "Submission Queue Entry") and static
 * accessors over a buffer whose index 0 is the first byte of the entry. Accessors are static so the hot path reads
 * fields straight from the received PDU without wrapping it in an object.
 */
public final class SubmissionQueueEntry {
    public static final int SIZE = 64;

    /** CDW0 bits 07:00. */
    public static final int OPCODE = 0;
    /** CDW0 bits 15:08: FUSE (bits 1:0) and PSDT (bits 7:6). */
    public static final int FLAGS = 1;
    /** CDW0 bits 31:16. */
    public static final int CID = 2;
    public static final int NSID = 4;
    public static final int CDW2 = 8;
    public static final int CDW3 = 12;
    public static final int MPTR = 16;
    /** Data pointer; on fabrics always SGL Data Block 1 (16 bytes). */
    public static final int DPTR = 24;
    public static final int CDW10 = 40;
    public static final int CDW11 = 44;
    public static final int CDW12 = 48;
    public static final int CDW13 = 52;
    public static final int CDW14 = 56;
    public static final int CDW15 = 60;

    /** FUSE field mask within {@link #FLAGS}. */
    public static final int FLAGS_FUSE_MASK = 0x03;
    /** PSDT field mask within {@link #FLAGS}; 10b = SGL with metadata in a single buffer, required on fabrics. */
    public static final int FLAGS_PSDT_MASK = 0xC0;
    public static final int FLAGS_PSDT_SGL_MPTR_CONTIG = 0x40;
    public static final int FLAGS_PSDT_SGL_MPTR_SGL = 0x80;

    private SubmissionQueueEntry() {
    }

    public static int opcode(ByteBuf sqe) {
        return sqe.getUnsignedByte(OPCODE);
    }

    public static int flags(ByteBuf sqe) {
        return sqe.getUnsignedByte(FLAGS);
    }

    public static int cid(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(CID);
    }

    public static int nsid(ByteBuf sqe) {
        return sqe.getIntLE(NSID);
    }

    /** Command dword 10..15, {@code n} in 10..15. */
    public static int cdw(ByteBuf sqe, int n) {
        return sqe.getIntLE(CDW10 + (n - 10) * 4);
    }

    public static void setOpcode(ByteBuf sqe, int opcode) {
        sqe.setByte(OPCODE, opcode);
    }

    public static void setFlags(ByteBuf sqe, int flags) {
        sqe.setByte(FLAGS, flags);
    }

    public static void setCid(ByteBuf sqe, int cid) {
        sqe.setShortLE(CID, cid);
    }

    public static void setNsid(ByteBuf sqe, int nsid) {
        sqe.setIntLE(NSID, nsid);
    }

    public static void setCdw(ByteBuf sqe, int n, int value) {
        sqe.setIntLE(CDW10 + (n - 10) * 4, value);
    }
}
