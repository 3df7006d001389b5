package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** Byte layout of a 16-byte Completion Queue Entry (NVMe Base 2.0, 4.2.2 "Completion Queue Entry"). */
public final class CompletionQueueEntry {
    public static final int SIZE = 16;
    /** Command specific DW0 (and DW1: fabrics returns a 64-bit result for Property Get of 8 bytes). */
    public static final int RESULT = 0;
    public static final int DW1 = 4;
    public static final int SQ_HEAD = 8;
    public static final int SQ_ID = 10;
    public static final int CID = 12;
    /** Phase tag (bit 0) and status field (bits 15:1). */
    public static final int STATUS = 14;

    private CompletionQueueEntry() {
    }

    /** Writes a CQE at the buffer's writer index; {@code status} is the 15-bit status field (see {@link Status}). */
    public static void write(ByteBuf out, long result, int sqHead, int sqId, int cid, int status) {
        out.writeLongLE(result);
        out.writeShortLE(sqHead);
        out.writeShortLE(sqId);
        out.writeShortLE(cid);
        out.writeShortLE(status << 1);
    }

    public static long result(ByteBuf cqe) {
        return cqe.getLongLE(RESULT);
    }

    public static int sqHead(ByteBuf cqe) {
        return cqe.getUnsignedShortLE(SQ_HEAD);
    }

    public static int sqId(ByteBuf cqe) {
        return cqe.getUnsignedShortLE(SQ_ID);
    }

    public static int cid(ByteBuf cqe) {
        return cqe.getUnsignedShortLE(CID);
    }

    /** The 15-bit status field, phase tag removed. */
    public static int status(ByteBuf cqe) {
        return cqe.getUnsignedShortLE(STATUS) >>> 1;
    }
}
