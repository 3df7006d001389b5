package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Layout shared by H2CTermReq and C2HTermReq (NVMe/TCP Transport 1.0, 3.6.2.4 Figure 21, 3.6.2.5 Figure 23): a
 * fatal error report followed by up to 128 bytes of the offending PDU header; no digests.
 */
public final class TermReqPdu {
    public static final int HLEN = 24;
    /** FES: fatal error status (u16), see {@link FatalErrorStatus}. */
    public static final int FES = 8;
    /** FEI: fatal error information (u32): byte offset of the bad field, or the bad value. */
    public static final int FEI = 10;
    /** Most header bytes of the offending PDU a TermReq carries. */
    public static final int MAX_ERROR_DATA = 128;
    /** Largest PLEN of a TermReq. */
    public static final int MAX_PLEN = HLEN + MAX_ERROR_DATA;

    private TermReqPdu() {
    }

    static void write(ByteBuf out, int type, int fes, long fei, ByteBuf errorData) {
        int dataLen = errorData == null ? 0 : Math.min(errorData.readableBytes(), MAX_ERROR_DATA);
        PduHeader.write(out, type, 0, HLEN, dataLen == 0 ? 0 : HLEN, HLEN + dataLen);
        out.writeShortLE(fes);
        out.writeIntLE((int) fei);
        out.writeZero(HLEN - 14);
        if (dataLen > 0) {
            out.writeBytes(errorData, errorData.readerIndex(), dataLen);
        }
    }

    public static int fes(ByteBuf pdu) {
        return pdu.getUnsignedShortLE(pdu.readerIndex() + FES);
    }

    public static long fei(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + FEI);
    }
}
