package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Initialize Connection Request (NVMe/TCP Transport 1.0, 3.6.2.2, Figure 19): the host's first PDU. */
public final class IcReqPdu {
    public static final int HLEN = 128;
    /** PFV: PDU format version, 0 for 1.0 (u16). */
    public static final int PFV = 8;
    /** HPDA: host PDU data alignment, (HPDA+1)*4 bytes. */
    public static final int HPDA = 10;
    /** DGST: bit 0 header digest enable, bit 1 data digest enable. */
    public static final int DGST = 11;
    /** MAXR2T: maximum outstanding R2T PDUs per command, 0's based (u32). */
    public static final int MAXR2T = 12;

    public static final int PFV_1_0 = 0;
    public static final int DGST_HEADER = 0x01;
    public static final int DGST_DATA = 0x02;

    private IcReqPdu() {
    }

    public static void write(ByteBuf out, int pfv, int hpda, int digest, long maxr2t) {
        PduHeader.write(out, PduType.IC_REQ, 0, HLEN, 0, HLEN);
        out.writeShortLE(pfv);
        out.writeByte(hpda);
        out.writeByte(digest);
        out.writeIntLE((int) maxr2t);
        out.writeZero(HLEN - 16);
    }

    public static int pfv(ByteBuf pdu) {
        return pdu.getUnsignedShortLE(pdu.readerIndex() + PFV);
    }

    public static int hpda(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + HPDA);
    }

    public static int digest(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + DGST);
    }

    public static long maxr2t(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + MAXR2T);
    }
}
