package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Dataset Management command (NVM Command Set 1.0, 3.2.3, Figures 37-39): CDW10 bits 7:0 number of ranges (0's
 * based, so at most 256), CDW11 attributes; the data is an array of 16-byte ranges.
 */
public final class DatasetManagement {
    public static final int NR = SubmissionQueueEntry.CDW10;
    public static final int ATTR_IDR = 1 << 0;
    public static final int ATTR_IDW = 1 << 1;
    public static final int ATTR_AD = 1 << 2;
    public static final int MAX_RANGES = 256;

    /** Range layout: context attributes, length in logical blocks (1-based), starting LBA. */
    public static final int RANGE_SIZE = 16;
    public static final int RANGE_CATTR = 0;
    public static final int RANGE_NLB = 4;
    public static final int RANGE_SLBA = 8;

    private DatasetManagement() {
    }

    /** Number of ranges, 1-based (1..256). */
    public static int ranges(ByteBuf sqe) {
        return sqe.getUnsignedByte(NR) + 1;
    }

    public static int attributes(ByteBuf sqe) {
        return sqe.getIntLE(SubmissionQueueEntry.CDW11);
    }

    public static void setRange(ByteBuf data, int index, long slba, int blocks) {
        int off = index * RANGE_SIZE;
        data.setIntLE(off + RANGE_CATTR, 0);
        data.setIntLE(off + RANGE_NLB, blocks);
        data.setLongLE(off + RANGE_SLBA, slba);
    }
}
