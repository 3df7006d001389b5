package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Host to Controller Data PDU (NVMe/TCP Transport 1.0, 3.6.2.8); layout {@link DataPdu}. */
public final class H2CDataPdu {
    private H2CDataPdu() {
    }

    /**
     * Writes the header (and header digest); the caller follows with {@code datal} data bytes and, with data
     * digests, their digest. {@code last} sets LAST_PDU: the final H2CData of the R2T.
     */
    public static void writeHeader(ByteBuf out, boolean hdgst, boolean ddgst, int cccid, int ttag, long datao,
            int datal, boolean last) {
        DataPdu.write(out, PduType.H2C_DATA, last ? PduHeader.FLAG_LAST_PDU : 0, hdgst, ddgst, cccid, ttag, datao,
                datal);
    }
}
