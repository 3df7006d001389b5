package org.jnvmet.protocol.tcp;

/** PDU-Type values and their fixed header lengths (NVMe/TCP Transport 1.0, 3.6.1, Figure 14). */
public final class PduType {
    public static final int IC_REQ = 0x00;
    public static final int IC_RESP = 0x01;
    public static final int H2C_TERM_REQ = 0x02;
    public static final int C2H_TERM_REQ = 0x03;
    public static final int CAPSULE_CMD = 0x04;
    public static final int CAPSULE_RESP = 0x05;
    public static final int H2C_DATA = 0x06;
    public static final int C2H_DATA = 0x07;
    public static final int R2T = 0x09;

    private PduType() {
    }

    /** The HLEN a PDU of this type must carry, or -1 for an unknown type. */
    public static int headerLength(int type) {
        switch (type) {
            case IC_REQ:
            case IC_RESP:
                return 128;
            case CAPSULE_CMD:
                return CapsuleCommandPdu.HLEN;
            case H2C_TERM_REQ:
            case C2H_TERM_REQ:
            case CAPSULE_RESP:
            case H2C_DATA:
            case C2H_DATA:
            case R2T:
                return 24;
            default:
                return -1;
        }
    }

    /**
     * True for PDUs that never carry digests: ICReq/ICResp precede digest negotiation, and terminate requests are
     * sent without them (3.6.2.4, 3.6.2.5).
     */
    public static boolean neverDigested(int type) {
        return type == IC_REQ || type == IC_RESP || type == H2C_TERM_REQ || type == C2H_TERM_REQ;
    }

    public static String name(int type) {
        switch (type) {
            case IC_REQ: return "ICReq";
            case IC_RESP: return "ICResp";
            case H2C_TERM_REQ: return "H2CTermReq";
            case C2H_TERM_REQ: return "C2HTermReq";
            case CAPSULE_CMD: return "CapsuleCmd";
            case CAPSULE_RESP: return "CapsuleResp";
            case H2C_DATA: return "H2CData";
            case C2H_DATA: return "C2HData";
            case R2T: return "R2T";
            default: return String.format("0x%02x", type);
        }
    }
}
