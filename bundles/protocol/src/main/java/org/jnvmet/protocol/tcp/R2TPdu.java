package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Ready to Transfer PDU (NVMe/TCP Transport 1.0, 3.6.2.10, Figure 29): asks the host for write data. */
public final class R2TPdu {
    public static final int HLEN = 24;
    /** CCCID: the command's CID (u16). */
    public static final int CCCID = 8;
    /** TTAG: tag the host echoes in its H2CData PDUs (u16). */
    public static final int TTAG = 10;
    /** R2TO: offset of the requested data in the command's data buffer (u32). */
    public static final int R2TO = 12;
    /** R2TL: number of bytes requested (u32). */
    public static final int R2TL = 16;

    private R2TPdu() {
    }

    public static void write(ByteBuf out, boolean hdgst, int cccid, int ttag, long r2to, long r2tl) {
        int start = out.writerIndex();
        DataPduLayout.writeCommonHeader(out, PduType.R2T, 0, HLEN, hdgst, false, 0);
        out.writeShortLE(cccid);
        out.writeShortLE(ttag);
        out.writeIntLE((int) r2to);
        out.writeIntLE((int) r2tl);
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

    public static long r2to(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + R2TO);
    }

    public static long r2tl(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + R2TL);
    }
}
