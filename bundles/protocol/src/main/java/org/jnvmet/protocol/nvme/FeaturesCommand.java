package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** Get Features / Set Features fields (NVMe Base 2.0, 5.15 and 5.27, Figures 191 and 316). */
public final class FeaturesCommand {
    /** CDW10 bits 07:00. */
    public static final int FID = SubmissionQueueEntry.CDW10;
    /** Get Features: CDW10 bits 10:08 select (0 current, 1 default, 2 saved, 3 supported capabilities). */
    public static final int SEL_SHIFT = 8;
    /** Set Features: CDW10 bit 31 save. */
    public static final int SV_BIT = 1 << 31;

    /** Number of Queues (07h) CDW11 / result: NSQR bits 15:0, NCQR bits 31:16, both 0's based. */
    public static final int NUMBER_OF_QUEUES_NCQR_SHIFT = 16;

    private FeaturesCommand() {
    }

    public static int fid(ByteBuf sqe) {
        return sqe.getUnsignedByte(FID);
    }

    public static int sel(ByteBuf sqe) {
        return (sqe.getIntLE(SubmissionQueueEntry.CDW10) >>> SEL_SHIFT) & 0x7;
    }

    public static boolean save(ByteBuf sqe) {
        return (sqe.getIntLE(SubmissionQueueEntry.CDW10) & SV_BIT) != 0;
    }

    public static void setGet(ByteBuf sqe, int fid, int cdw11) {
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.GET_FEATURES);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, fid & 0xFF);
        sqe.setIntLE(SubmissionQueueEntry.CDW11, cdw11);
    }

    public static void setSet(ByteBuf sqe, int fid, int cdw11) {
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.SET_FEATURES);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, fid & 0xFF);
        sqe.setIntLE(SubmissionQueueEntry.CDW11, cdw11);
    }
}
