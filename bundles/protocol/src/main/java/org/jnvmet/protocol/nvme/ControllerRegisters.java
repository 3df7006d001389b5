package org.jnvmet.protocol.nvme;

/**
 * Controller properties reached through Property Get/Set on fabrics (NVMe Base 2.0, 3.1.3 "Controller Properties",
 * Figure 33; fabrics subset in NVMe over Fabrics 1.1, 3.4 "Controller Properties").
 */
public final class ControllerRegisters {
    /** Controller Capabilities, 8 bytes (3.1.3.1). */
    public static final int CAP = 0x00;
    /** Version, 4 bytes (3.1.3.2). */
    public static final int VS = 0x08;
    /** Controller Configuration (3.1.3.5). */
    public static final int CC = 0x14;
    /** Controller Status (3.1.3.6). */
    public static final int CSTS = 0x1C;
    /** NVM Subsystem Reset (3.1.3.7). */
    public static final int NSSR = 0x20;
    /** Controller Ready Timeouts (3.1.3.24). */
    public static final int CRTO = 0x68;

    // CAP fields
    public static final long CAP_MQES_MASK = 0xFFFFL;
    public static final long CAP_CQR = 1L << 16;
    public static final int CAP_AMS_SHIFT = 17;
    public static final int CAP_TO_SHIFT = 24;
    public static final int CAP_DSTRD_SHIFT = 32;
    public static final long CAP_NSSRS = 1L << 36;
    public static final int CAP_CSS_SHIFT = 37;
    /** CAP.CSS bit 0 (register bit 37): NVM command set. */
    public static final long CAP_CSS_NVM = 1L << 37;
    /** CAP.CSS bit 6 (register bit 43): one or more I/O command sets (CC.CSS 110b allowed). */
    public static final long CAP_CSS_IO_COMMAND_SETS = 1L << 43;
    /** CAP.CSS bit 7 (register bit 44): no I/O command set. */
    public static final long CAP_CSS_NO_IO = 1L << 44;
    public static final int CAP_MPSMIN_SHIFT = 48;
    public static final int CAP_MPSMAX_SHIFT = 52;
    public static final int CAP_CRMS_SHIFT = 59;

    // CC fields
    public static final int CC_EN = 1;
    public static final int CC_CSS_SHIFT = 4;
    public static final int CC_CSS_MASK = 0x7;
    public static final int CC_CSS_NVM = 0;
    public static final int CC_CSS_CSI = 6;
    public static final int CC_CSS_ADMIN_ONLY = 7;
    public static final int CC_MPS_SHIFT = 7;
    public static final int CC_MPS_MASK = 0xF;
    public static final int CC_AMS_SHIFT = 11;
    public static final int CC_AMS_MASK = 0x7;
    public static final int CC_SHN_SHIFT = 14;
    public static final int CC_SHN_MASK = 0x3;
    public static final int CC_SHN_NORMAL = 1;
    public static final int CC_SHN_ABRUPT = 2;
    public static final int CC_IOSQES_SHIFT = 16;
    public static final int CC_IOCQES_SHIFT = 20;
    public static final int CC_QES_MASK = 0xF;
    /** log2 of the NVM command set's SQE (64 B) and CQE (16 B) sizes. */
    public static final int NVM_IOSQES = 6;
    public static final int NVM_IOCQES = 4;

    // CSTS fields
    public static final int CSTS_RDY = 1;
    public static final int CSTS_CFS = 1 << 1;
    public static final int CSTS_SHST_SHIFT = 2;
    public static final int CSTS_SHST_MASK = 0x3 << CSTS_SHST_SHIFT;
    public static final int CSTS_SHST_OCCURRING = 1 << CSTS_SHST_SHIFT;
    public static final int CSTS_SHST_COMPLETE = 2 << CSTS_SHST_SHIFT;
    public static final int CSTS_NSSRO = 1 << 4;
    public static final int CSTS_PP = 1 << 5;

    // CRTO fields: CRWMT bits 15:0, CRIMT bits 31:16, both in 500 ms units
    public static final int CRTO_CRIMT_SHIFT = 16;

    private ControllerRegisters() {
    }

    /** NVMe version encoding (VS register, Identify VER): major bits 31:16, minor 15:8, tertiary 7:0. */
    public static int version(int major, int minor, int tertiary) {
        return major << 16 | minor << 8 | tertiary;
    }

    public static int capMqes(long cap) {
        return (int) (cap & CAP_MQES_MASK);
    }

    public static int capTimeout(long cap) {
        return (int) (cap >>> CAP_TO_SHIFT) & 0xFF;
    }

    public static int capMpsmin(long cap) {
        return (int) (cap >>> CAP_MPSMIN_SHIFT) & 0xF;
    }

    public static boolean ccEnabled(int cc) {
        return (cc & CC_EN) != 0;
    }

    public static int ccShn(int cc) {
        return (cc >>> CC_SHN_SHIFT) & CC_SHN_MASK;
    }

    public static int ccCss(int cc) {
        return (cc >>> CC_CSS_SHIFT) & CC_CSS_MASK;
    }

    public static int ccMps(int cc) {
        return (cc >>> CC_MPS_SHIFT) & CC_MPS_MASK;
    }

    public static int ccAms(int cc) {
        return (cc >>> CC_AMS_SHIFT) & CC_AMS_MASK;
    }

    public static int ccIosqes(int cc) {
        return (cc >>> CC_IOSQES_SHIFT) & CC_QES_MASK;
    }

    public static int ccIocqes(int cc) {
        return (cc >>> CC_IOCQES_SHIFT) & CC_QES_MASK;
    }

    /** The CC value a host writes to enable an NVM controller with 4 KiB pages. */
    public static int ccEnableNvm() {
        return CC_EN | CC_CSS_NVM << CC_CSS_SHIFT | NVM_IOSQES << CC_IOSQES_SHIFT | NVM_IOCQES << CC_IOCQES_SHIFT;
    }
}
