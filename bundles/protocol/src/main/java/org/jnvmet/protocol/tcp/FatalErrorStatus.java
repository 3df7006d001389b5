package org.jnvmet.protocol.tcp;

/** FES values of a terminate request (NVMe/TCP Transport 1.0, 3.6.2.4 Figure 22 / 3.6.2.5 Figure 24). */
public final class FatalErrorStatus {
    /** A PDU header field is invalid; FEI holds the field's byte offset. */
    public static final int INVALID_PDU_HEADER_FIELD = 0x01;
    /** A PDU arrived that is not valid in the connection's current state. */
    public static final int PDU_SEQUENCE_ERROR = 0x02;
    /** The header digest did not match; FEI holds the received digest. */
    public static final int HEADER_DIGEST_ERROR = 0x03;
    /** Data offset/length outside of the command's (or R2T's) range. */
    public static final int DATA_TRANSFER_OUT_OF_RANGE = 0x04;
    /** More data than allowed in one PDU (MAXH2CDATA, in-capsule limit); was "R2T limit exceeded" in 1.0. */
    public static final int DATA_TRANSFER_LIMIT_EXCEEDED = 0x05;
    /** An ICReq/ICResp parameter value is not supported; FEI holds the field's byte offset. */
    public static final int UNSUPPORTED_PARAMETER = 0x06;

    private FatalErrorStatus() {
    }

    public static String name(int fes) {
        switch (fes) {
            case INVALID_PDU_HEADER_FIELD: return "invalid PDU header field";
            case PDU_SEQUENCE_ERROR: return "PDU sequence error";
            case HEADER_DIGEST_ERROR: return "header digest error";
            case DATA_TRANSFER_OUT_OF_RANGE: return "data transfer out of range";
            case DATA_TRANSFER_LIMIT_EXCEEDED: return "data transfer limit exceeded";
            case UNSUPPORTED_PARAMETER: return "unsupported parameter";
            default: return "FES " + fes;
        }
    }
}
