package org.jnvmet.protocol.nvme;

/**
 * Completion status field values (NVMe Base 2.0, 4.2.3 "Status Field Definition"), encoded as the 15-bit status
 * field without the phase tag: SC in bits 7:0, SCT in bits 10:8, CRD 12:11, More bit 13, DNR bit 14. This is the
 * encoding of the Linux kernel's NVME_SC_* constants, so values can be compared with it directly.
 */
public final class Status {
    public static final int SUCCESS = 0x000;

    public static final int DNR = 0x4000;
    public static final int MORE = 0x2000;
    public static final int SCT_MASK = 0x0700;
    public static final int SC_MASK = 0x00FF;

    public static final int SCT_GENERIC = 0x000;
    public static final int SCT_COMMAND_SPECIFIC = 0x100;
    public static final int SCT_MEDIA = 0x200;
    public static final int SCT_PATH = 0x300;
    public static final int SCT_VENDOR = 0x700;

    // Generic command status (SCT 0), NVMe Base 2.0 Figure 100
    public static final int INVALID_OPCODE = 0x001;
    public static final int INVALID_FIELD = 0x002;
    public static final int CMDID_CONFLICT = 0x003;
    public static final int DATA_XFER_ERROR = 0x004;
    public static final int POWER_LOSS = 0x005;
    public static final int INTERNAL = 0x006;
    public static final int ABORT_REQ = 0x007;
    public static final int ABORT_QUEUE = 0x008;
    public static final int FUSED_FAIL = 0x009;
    public static final int FUSED_MISSING = 0x00A;
    public static final int INVALID_NS = 0x00B;
    public static final int CMD_SEQ_ERROR = 0x00C;
    public static final int SGL_INVALID_LAST = 0x00D;
    public static final int SGL_INVALID_COUNT = 0x00E;
    public static final int SGL_INVALID_DATA = 0x00F;
    public static final int SGL_INVALID_METADATA = 0x010;
    public static final int SGL_INVALID_TYPE = 0x011;
    public static final int CMB_INVALID_USE = 0x012;
    public static final int PRP_INVALID_OFFSET = 0x013;
    public static final int ATOMIC_WU_EXCEEDED = 0x014;
    public static final int OP_DENIED = 0x015;
    public static final int SGL_INVALID_OFFSET = 0x016;
    public static final int SGL_INVALID_SUBTYPE = 0x017;
    public static final int HOST_ID_INCONSISTENT = 0x018;
    public static final int KA_TIMEOUT_EXPIRED = 0x019;
    public static final int KA_TIMEOUT_INVALID = 0x01A;
    public static final int ABORTED_PREEMPT_ABORT = 0x01B;
    public static final int SANITIZE_FAILED = 0x01C;
    public static final int SANITIZE_IN_PROGRESS = 0x01D;
    public static final int SGL_INVALID_GRANULARITY = 0x01E;
    public static final int CMD_NOT_SUP_CMB_QUEUE = 0x01F;
    public static final int NS_WRITE_PROTECTED = 0x020;
    public static final int CMD_INTERRUPTED = 0x021;
    public static final int TRANSIENT_TR_ERR = 0x022;
    public static final int ADMIN_COMMAND_MEDIA_NOT_READY = 0x024;
    public static final int INVALID_IO_CMD_SET = 0x02C;
    public static final int LBA_RANGE = 0x080;
    public static final int CAP_EXCEEDED = 0x081;
    public static final int NS_NOT_READY = 0x082;
    public static final int RESERVATION_CONFLICT = 0x083;
    public static final int FORMAT_IN_PROGRESS = 0x084;

    // Command specific status (SCT 1)
    public static final int CQ_INVALID = 0x100;
    public static final int QID_INVALID = 0x101;
    public static final int QUEUE_SIZE = 0x102;
    public static final int ABORT_LIMIT = 0x103;
    public static final int ABORT_MISSING = 0x104;
    public static final int ASYNC_LIMIT = 0x105;
    public static final int FIRMWARE_SLOT = 0x106;
    public static final int FIRMWARE_IMAGE = 0x107;
    public static final int INVALID_VECTOR = 0x108;
    public static final int INVALID_LOG_PAGE = 0x109;
    public static final int INVALID_FORMAT = 0x10A;
    public static final int FW_NEEDS_CONV_RESET = 0x10B;
    public static final int INVALID_QUEUE = 0x10C;
    public static final int FEATURE_NOT_SAVEABLE = 0x10D;
    public static final int FEATURE_NOT_CHANGEABLE = 0x10E;
    public static final int FEATURE_NOT_PER_NS = 0x10F;
    public static final int NS_INSUFFICIENT_CAP = 0x115;
    public static final int NS_ID_UNAVAILABLE = 0x116;
    public static final int NS_ALREADY_ATTACHED = 0x118;
    public static final int NS_IS_PRIVATE = 0x119;
    public static final int NS_NOT_ATTACHED = 0x11A;
    public static final int CTRL_LIST_INVALID = 0x11C;
    public static final int CONFLICTING_ATTRS = 0x180;
    public static final int BAD_ATTRIBUTES = 0x180;
    public static final int INVALID_PI = 0x181;
    public static final int READ_ONLY = 0x182;
    public static final int ONCS_NOT_SUPPORTED = 0x183;

    // Fabrics command specific status (SCT 1, NVMe over Fabrics 1.1, Figure 33 / Base 2.0 Figure 541)
    public static final int CONNECT_FORMAT = 0x180;
    public static final int CONNECT_CTRL_BUSY = 0x181;
    public static final int CONNECT_INVALID_PARAM = 0x182;
    public static final int CONNECT_RESTART_DISC = 0x183;
    public static final int CONNECT_INVALID_HOST = 0x184;
    public static final int DISCOVERY_RESTART = 0x190;
    public static final int AUTH_REQUIRED = 0x191;

    // Media and data integrity errors (SCT 2)
    public static final int WRITE_FAULT = 0x280;
    public static final int READ_ERROR = 0x281;
    public static final int GUARD_CHECK = 0x282;
    public static final int APPTAG_CHECK = 0x283;
    public static final int REFTAG_CHECK = 0x284;
    public static final int COMPARE_FAILED = 0x285;
    public static final int ACCESS_DENIED = 0x286;
    public static final int UNWRITTEN_BLOCK = 0x287;

    // Path related status (SCT 3)
    public static final int ANA_PERSISTENT_LOSS = 0x301;
    public static final int ANA_INACCESSIBLE = 0x302;
    public static final int ANA_TRANSITION = 0x303;
    public static final int CTRL_PATH_ERROR = 0x360;
    public static final int HOST_PATH_ERROR = 0x370;
    public static final int HOST_ABORTED_CMD = 0x371;

    private Status() {
    }

    public static boolean isSuccess(int status) {
        return (status & (SCT_MASK | SC_MASK)) == 0;
    }

    public static boolean dnr(int status) {
        return (status & DNR) != 0;
    }

    /** Status code type and status code, without CRD, More and DNR. */
    public static int code(int status) {
        return status & (SCT_MASK | SC_MASK);
    }

    public static String toString(int status) {
        return String.format("sct=%d sc=0x%02x%s%s", (status & SCT_MASK) >> 8, status & SC_MASK,
                dnr(status) ? " DNR" : "", (status & MORE) != 0 ? " MORE" : "");
    }
}
