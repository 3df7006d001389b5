package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * Fabrics command types (NVMe over Fabrics 1.1, 3.3 "Fabrics Command Set", Figure 9): every fabrics command has
 * opcode 7Fh and the command type in byte 4 (FCTYPE).
 */
public final class FabricsCommandType {
    public static final int OPCODE = AdminOpcode.FABRICS;
    /** Byte offset of FCTYPE in the SQE. */
    public static final int FCTYPE = 4;

    public static final int PROPERTY_SET = 0x00;
    public static final int CONNECT = 0x01;
    public static final int PROPERTY_GET = 0x04;
    public static final int AUTHENTICATION_SEND = 0x05;
    public static final int AUTHENTICATION_RECEIVE = 0x06;
    public static final int DISCONNECT = 0x08;

    private FabricsCommandType() {
    }

    public static boolean isFabrics(ByteBuf sqe) {
        return SubmissionQueueEntry.opcode(sqe) == OPCODE;
    }

    public static int fctype(ByteBuf sqe) {
        return sqe.getUnsignedByte(FCTYPE);
    }

    public static void set(ByteBuf sqe, int fctype) {
        SubmissionQueueEntry.setOpcode(sqe, OPCODE);
        sqe.setByte(FCTYPE, fctype);
    }
}
