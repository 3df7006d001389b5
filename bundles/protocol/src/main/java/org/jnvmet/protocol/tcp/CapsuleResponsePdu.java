package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;

/** Response Capsule PDU (NVMe/TCP Transport 1.0, 3.6.2.7, Figure 26): the 16-byte CQE, never data. */
public final class CapsuleResponsePdu {
    public static final int HLEN = PduHeader.SIZE + CompletionQueueEntry.SIZE;
    /** The CQE (NVMe Base 2.0, 4.2.2). */
    public static final int CQE = 8;

    private CapsuleResponsePdu() {
    }

    /** Writes the PDU with a CQE whose {@code status} is the 15-bit status field. */
    public static void write(ByteBuf out, boolean hdgst, long result, int sqHead, int sqId, int cid, int status) {
        int start = out.writerIndex();
        DataPduLayout.writeCommonHeader(out, PduType.CAPSULE_RESP, 0, HLEN, hdgst, false, 0);
        CompletionQueueEntry.write(out, result, sqHead, sqId, cid, status);
        if (hdgst) {
            PduHeader.appendHeaderDigest(out, start, HLEN);
        }
    }

    /** A view of the CQE inside a received PDU header (index 0 = first CQE byte); not retained. */
    public static ByteBuf cqe(ByteBuf pdu) {
        return pdu.slice(pdu.readerIndex() + CQE, CompletionQueueEntry.SIZE);
    }
}
