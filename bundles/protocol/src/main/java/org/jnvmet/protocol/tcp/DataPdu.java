package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Layout shared by H2CData and C2HData (NVMe/TCP Transport 1.0, 3.6.2.8 Figure 27, 3.6.2.9 Figure 28): which
 * command the data belongs to and where it goes in the command's data buffer.
 */
public final class DataPdu {
    public static final int HLEN = 24;
    /** CCCID: command capsule CID (u16). */
    public static final int CCCID = 8;
    /** TTAG: transfer tag from the R2T (H2CData only, u16). */
    public static final int TTAG = 10;
    /** DATAO: offset of this data in the command's data buffer (u32). */
    public static final int DATAO = 12;
    /** DATAL: number of data bytes in this PDU (u32). */
    public static final int DATAL = 16;

    private DataPdu() {
    }

    static void write(ByteBuf out, int type, int pduFlags, boolean hdgst, boolean ddgst, int cccid, int ttag,
            long datao, int datal) {
        int start = out.writerIndex();
        DataPduLayout.writeCommonHeader(out, type, pduFlags, HLEN, hdgst, ddgst, datal);
        out.writeShortLE(cccid);
        out.writeShortLE(ttag);
        out.writeIntLE((int) datao);
        out.writeIntLE(datal);
        out.writeIntLE(0);
        if (hdgst) {
            PduHeader.appendHeaderDigest(out, start, HLEN);
        }
    }

    public static int cccid(ByteBuf pdu) {
        return pdu.getUnsignedShortLE(pdu.readerIndex() + CCCID);
    }

    public static int ttag(ByteBuf pdu) {
        return pdu.getUnsignedShortLE(pdu.readerIndex() + TTAG);
    }

    public static long datao(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + DATAO);
    }

    public static long datal(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + DATAL);
    }
}
