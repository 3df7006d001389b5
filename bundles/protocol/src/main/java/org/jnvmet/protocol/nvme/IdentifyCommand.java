package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** Identify command fields (NVMe Base 2.0, 5.17 "Identify command", Figures 271-272). */
public final class IdentifyCommand {
    /** CDW10 bits 07:00. */
    public static final int CNS = SubmissionQueueEntry.CDW10;
    /** CDW10 bits 31:16. */
    public static final int CNTID = SubmissionQueueEntry.CDW10 + 2;
    /** CDW11 bits 15:00: CNS specific identifier (e.g. the endurance group to start from). */
    public static final int CNSSID = SubmissionQueueEntry.CDW11;
    /** CDW11 bits 31:24: command set identifier. */
    public static final int CSI = SubmissionQueueEntry.CDW11 + 3;

    private IdentifyCommand() {
    }

    public static int cns(ByteBuf sqe) {
        return sqe.getUnsignedByte(CNS);
    }

    public static int csi(ByteBuf sqe) {
        return sqe.getUnsignedByte(CSI);
    }

    public static int cnssid(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(CNSSID);
    }

    public static void set(ByteBuf sqe, int cns, int nsid, int csi) {
        SubmissionQueueEntry.setOpcode(sqe, AdminOpcode.IDENTIFY);
        SubmissionQueueEntry.setNsid(sqe, nsid);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, cns & 0xFF);
        sqe.setIntLE(SubmissionQueueEntry.CDW11, (csi & 0xFF) << 24);
    }
}
