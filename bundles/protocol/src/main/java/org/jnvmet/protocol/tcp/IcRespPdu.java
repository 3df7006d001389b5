package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Initialize Connection Response (NVMe/TCP Transport 1.0, 3.6.2.3, Figure 20). */
public final class IcRespPdu {
    public static final int HLEN = 128;
    /** PFV (u16). */
    public static final int PFV = 8;
    /** CPDA: controller PDU data alignment, (CPDA+1)*4 bytes. */
    public static final int CPDA = 10;
    /** DGST: the digests enabled for the connection, same bits as {@link IcReqPdu#DGST}. */
    public static final int DGST = 11;
    /** MAXH2CDATA: largest data length of one H2CData PDU the controller accepts (u32, at least 4096). */
    public static final int MAXH2CDATA = 12;

    /** The smallest MAXH2CDATA a controller may report. */
    public static final int MIN_MAXH2CDATA = 4096;

    private IcRespPdu() {
    }

    public static void write(ByteBuf out, int pfv, int cpda, int digest, long maxh2cdata) {
        PduHeader.write(out, PduType.IC_RESP, 0, HLEN, 0, HLEN);
        out.writeShortLE(pfv);
        out.writeByte(cpda);
        out.writeByte(digest);
        out.writeIntLE((int) maxh2cdata);
        out.writeZero(HLEN - 16);
    }

    public static int pfv(ByteBuf pdu) {
        return pdu.getUnsignedShortLE(pdu.readerIndex() + PFV);
    }

    public static int cpda(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + CPDA);
    }

    public static int digest(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + DGST);
    }

    public static long maxh2cdata(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + MAXH2CDATA);
    }
}
