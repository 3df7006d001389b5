package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** Get Log Page command fields (NVMe Base 2.0, 5.16 "Get Log Page command", Figures 197-201). */
public final class GetLogPageCommand {
    /** CDW10 bits 07:00. */
    public static final int LID = SubmissionQueueEntry.CDW10;
    /** CDW10 bits 14:08 log specific field; bit 15 Retain Asynchronous Event. */
    public static final int LSP = SubmissionQueueEntry.CDW10 + 1;
    public static final int RAE_BIT = 1 << 15;
    /** CDW10 bits 31:16: number of dwords, lower. */
    public static final int NUMDL = SubmissionQueueEntry.CDW10 + 2;
    /** CDW11 bits 15:00: number of dwords, upper. */
    public static final int NUMDU = SubmissionQueueEntry.CDW11;
    /** CDW11 bits 31:16: log specific identifier. */
    public static final int LSI = SubmissionQueueEntry.CDW11 + 2;
    /** CDW12/CDW13: log page offset lower/upper, in bytes. */
    public static final int LPOL = SubmissionQueueEntry.CDW12;
    public static final int LPOU = SubmissionQueueEntry.CDW13;
    /** CDW14 bits 31:24: command set identifier. */
    public static final int CSI = SubmissionQueueEntry.CDW14 + 3;

    private GetLogPageCommand() {
    }

    public static int lid(ByteBuf sqe) {
        return sqe.getUnsignedByte(LID);
    }

    public static int lsp(ByteBuf sqe) {
        return sqe.getUnsignedByte(LSP) & 0x7F;
    }

    public static boolean rae(ByteBuf sqe) {
        return (sqe.getIntLE(SubmissionQueueEntry.CDW10) & RAE_BIT) != 0;
    }

    public static int lsi(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(LSI);
    }

    public static int csi(ByteBuf sqe) {
        return sqe.getUnsignedByte(CSI);
    }

    /** Requested length in bytes: (NUMDU:NUMDL + 1) * 4, up to 16 GiB, so a long. */
    public static long length(ByteBuf sqe) {
        long numd = (long) sqe.getUnsignedShortLE(NUMDU) << 16 | sqe.getUnsignedShortLE(NUMDL);
        return (numd + 1) * 4;
    }

    /** Log page offset in bytes (LPOU:LPOL), unsigned 64 bit. */
    public static long offset(ByteBuf sqe) {
        return sqe.getLongLE(LPOL);
    }

    /** Fills an SQE for Get Log Page of {@code length} bytes (a multiple of 4) at {@code offset}. */
    public static void set(ByteBuf sqe, int lid, int nsid, long length, long offset, boolean rae) {
        long numd = length / 4 - 1;
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.GET_LOG_PAGE);
        SubmissionQueueEntry.setNsid(sqe, nsid);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, (lid & 0xFF) | (rae ? RAE_BIT : 0) | (int) (numd & 0xFFFF) << 16);
        sqe.setIntLE(SubmissionQueueEntry.CDW11, (int) (numd >>> 16) & 0xFFFF);
        sqe.setLongLE(LPOL, offset);
    }
}
