package org.jnvmet.protocol.fabrics;

/**
 * Connect response DW0 (NVMe over Fabrics 1.1, 3.3 "Connect Response", Figures 21-22). On success bits 15:0 hold
 * the controller ID, bit 17 AUTHREQ.ATR and bit 18 AUTHREQ.ASCR. On Connect Invalid Parameters, bits 15:0 hold
 * the byte offset of the offending field and bit 16 (IATTR) says whether the offset is in the connect data (1)
 * or in the SQE (0).
 */
public final class ConnectResponse {
    public static final int IATTR_DATA = 1 << 16;
    public static final int AUTHREQ_ATR = 1 << 17;
    public static final int AUTHREQ_ASCR = 1 << 18;

    private ConnectResponse() {
    }

    /** Invalid parameter in the SQE at byte {@code offset} (e.g. {@link ConnectCommand#SQSIZE}). */
    public static int invalidSqeField(int offset) {
        return offset;
    }

    /** Invalid parameter in the connect data at byte {@code offset} (e.g. {@link ConnectData#HOSTNQN}). */
    public static int invalidDataField(int offset) {
        return IATTR_DATA | offset;
    }

    public static int cntlid(long result) {
        return (int) (result & 0xFFFF);
    }
}
