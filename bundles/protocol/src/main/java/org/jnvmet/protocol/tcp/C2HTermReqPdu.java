package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Controller to Host Terminate Connection Request (NVMe/TCP Transport 1.0, 3.6.2.5); layout {@link TermReqPdu}. */
public final class C2HTermReqPdu {
    private C2HTermReqPdu() {
    }

    /** Writes the PDU; {@code errorData} (may be null) is the offending PDU header, truncated to 128 bytes. */
    public static void write(ByteBuf out, int fes, long fei, ByteBuf errorData) {
        TermReqPdu.write(out, PduType.C2H_TERM_REQ, fes, fei, errorData);
    }
}
