package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * Command Capsule PDU (NVMe/TCP Transport 1.0, 3.6.2.6, Figure 25): the 64-byte SQE, then optional in-capsule
 * data at PDO.
 */
public final class CapsuleCommandPdu {
    public static final int HLEN = PduHeader.SIZE + SubmissionQueueEntry.SIZE;
    /** The SQE (NVMe Base 2.0, 4.2). */
    public static final int SQE = 8;

    private CapsuleCommandPdu() {
    }

    /**
     * Writes CH, SQE (index 0..63 of {@code sqe}) and, if enabled, the header digest. The caller follows with
     * {@code dataLength} bytes of in-capsule data and, when {@code ddgst} and data, the data digest.
     */
    public static void writeHeader(ByteBuf out, ByteBuf sqe, boolean hdgst, boolean ddgst, int dataLength) {
        int start = out.writerIndex();
        DataPduLayout.writeCommonHeader(out, PduType.CAPSULE_CMD, 0, HLEN, hdgst, ddgst, dataLength);
        out.writeBytes(sqe, 0, SubmissionQueueEntry.SIZE);
        if (hdgst) {
            PduHeader.appendHeaderDigest(out, start, HLEN);
        }
    }

    /** A view of the SQE inside a received PDU header (index 0 = first SQE byte); not retained. */
    public static ByteBuf sqe(ByteBuf pdu) {
        return pdu.slice(pdu.readerIndex() + SQE, SubmissionQueueEntry.SIZE);
    }
}
