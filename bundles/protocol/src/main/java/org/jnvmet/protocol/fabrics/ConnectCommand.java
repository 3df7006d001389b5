package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;

/** Connect command SQE fields (NVMe over Fabrics 1.1, 3.3 "Connect Command", Figure 19). */
public final class ConnectCommand {
    /** Record format, must be 0 (CDW10 bits 15:0). */
    public static final int RECFMT = 40;
    public static final int QID = 42;
    /** Submission queue size, 0's based. */
    public static final int SQSIZE = 44;
    /** Connect attributes; bit 2 disables SQ flow control. */
    public static final int CATTR = 46;
    /** Keep alive timeout in milliseconds (CDW12). */
    public static final int KATO = 48;

    public static final int CATTR_PRIORITY_MASK = 0x3;
    public static final int CATTR_DISABLE_SQ_FLOW = 1 << 2;
    public static final int CATTR_IO_QUEUE_DELETION = 1 << 3;

    private ConnectCommand() {
    }

    public static int recfmt(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(RECFMT);
    }

    public static int qid(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(QID);
    }

    public static int sqsize(ByteBuf sqe) {
        return sqe.getUnsignedShortLE(SQSIZE);
    }

    public static int cattr(ByteBuf sqe) {
        return sqe.getUnsignedByte(CATTR);
    }

    /** KATO in milliseconds, unsigned. */
    public static long kato(ByteBuf sqe) {
        return sqe.getUnsignedIntLE(KATO);
    }

    public static void set(ByteBuf sqe, int qid, int sqsize, int cattr, long katoMillis) {
        FabricsCommandType.set(sqe, FabricsCommandType.CONNECT);
        sqe.setShortLE(RECFMT, 0);
        sqe.setShortLE(QID, qid);
        sqe.setShortLE(SQSIZE, sqsize);
        sqe.setByte(CATTR, cattr);
        sqe.setByte(CATTR + 1, 0);
        sqe.setIntLE(KATO, (int) katoMillis);
    }
}
