package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Length arithmetic shared by PDUs that may carry data (CapsuleCmd, H2CData, C2HData): with a PDU data alignment
 * of 0 (CPDA/HPDA 0, 4-byte alignment) data starts right after the header and its digest.
 */
final class DataPduLayout {
    private DataPduLayout() {
    }

    static int flags(int pduFlags, boolean hdgst, boolean ddgst, int dataLength) {
        int f = pduFlags;
        if (hdgst) {
            f |= PduHeader.FLAG_HDGST;
        }
        if (ddgst && dataLength > 0) {
            f |= PduHeader.FLAG_DDGST;
        }
        return f;
    }

    static int pdo(int hlen, boolean hdgst, int dataLength) {
        return dataLength == 0 ? 0 : hlen + (hdgst ? PduHeader.DIGEST_LENGTH : 0);
    }

    static long plen(int hlen, boolean hdgst, boolean ddgst, long dataLength) {
        long plen = hlen + (hdgst ? PduHeader.DIGEST_LENGTH : 0) + dataLength;
        if (ddgst && dataLength > 0) {
            plen += PduHeader.DIGEST_LENGTH;
        }
        return plen;
    }

    static void writeCommonHeader(ByteBuf out, int type, int pduFlags, int hlen, boolean hdgst, boolean ddgst,
            int dataLength) {
        PduHeader.write(out, type, flags(pduFlags, hdgst, ddgst, dataLength), hlen, pdo(hlen, hdgst, dataLength),
                plen(hlen, hdgst, ddgst, dataLength));
    }
}
