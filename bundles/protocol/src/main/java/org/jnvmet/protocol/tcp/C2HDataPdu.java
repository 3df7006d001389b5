package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Controller to Host Data PDU (NVMe/TCP Transport 1.0, 3.6.2.9); layout {@link DataPdu}, TTAG reserved. */
public final class C2HDataPdu {
    private C2HDataPdu() {
    }

    /**
     * Writes the header (and header digest); the caller follows with the data and its digest. {@code success}
     * (only with {@code last}) tells the host the command completed and no CapsuleResp follows.
     */
    public static void writeHeader(ByteBuf out, boolean hdgst, boolean ddgst, int cccid, long datao, int datal,
            boolean last, boolean success) {
        if (success && !last) {
            throw new IllegalArgumentException("SUCCESS requires LAST_PDU");
        }
        int flags = (last ? PduHeader.FLAG_LAST_PDU : 0) | (success ? PduHeader.FLAG_SUCCESS : 0);
        DataPdu.write(out, PduType.C2H_DATA, flags, hdgst, ddgst, cccid, 0, datao, datal);
    }
}
