package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/** Host to Controller Terminate Connection Request (NVMe/TCP Transport 1.0, 3.6.2.4); layout {@link TermReqPdu}. */
public final class H2CTermReqPdu {
    private H2CTermReqPdu() {
    }

    /** Writes the PDU; {@code errorData} (may be null) is the offending PDU header, truncated to 128 bytes. */
    public static void write(ByteBuf out, int fes, long fei, ByteBuf errorData) {
        TermReqPdu.write(out, PduType.H2C_TERM_REQ, fes, fei, errorData);
    }
}
