package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Fields shared by Read, Write, Compare and Write Zeroes (NVM Command Set 1.0, 3.2.4 "Read command" Figures 40-42,
 * 3.2.6 "Write command", 3.2.8 "Write Zeroes command").
 */
public final class ReadWriteCommand {
    /** CDW10-11: starting LBA, 64 bits. */
    public static final int SLBA = SubmissionQueueEntry.CDW10;
    /** CDW12 bits 15:00: number of logical blocks, 0's based. */
    public static final int NLB = SubmissionQueueEntry.CDW12;
    /** CDW12 bit 30: Force Unit Access. */
    public static final int CDW12_FUA = 1 << 30;
    /** CDW12 bit 31: Limited Retry. */
    public static final int CDW12_LR = 1 << 31;
    /** Write Zeroes CDW12 bit 25: Deallocate. */
    public static final int CDW12_DEAC = 1 << 25;

    private ReadWriteCommand() {
    }

    public static long slba(ByteBuf sqe) {
        return sqe.getLongLE(SLBA);
    }

    /** Number of logical blocks, 1-based (1..65536). */
    public static int blocks(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(NLB) + 1;
    }

    public static boolean fua(ByteBuf sqe) {
        return (sqe.getIntLE(SubmissionQueueEntry.CDW12) & CDW12_FUA) != 0;
    }

    public static void set(ByteBuf sqe, int opcode, int nsid, long slba, int blocks, boolean fua) {
        SubmissionQueueEntry.setOpcode(sqe, opcode);
        SubmissionQueueEntry.setNsid(sqe, nsid);
        sqe.setLongLE(SLBA, slba);
        sqe.setIntLE(SubmissionQueueEntry.CDW12, ((blocks - 1) & 0xFFFF) | (fua ? CDW12_FUA : 0));
    }
}
