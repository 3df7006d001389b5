package org.jnvmet.protocol.nvme;

/** Admin command set opcodes (NVMe Base 2.0, 5 "Admin Command Set", Figure 138). */
public final class AdminOpcode {
    public static final int DELETE_IO_SQ = 0x00;
    public static final int CREATE_IO_SQ = 0x01;
    public static final int GET_LOG_PAGE = 0x02;
    public static final int DELETE_IO_CQ = 0x04;
    public static final int CREATE_IO_CQ = 0x05;
    public static final int IDENTIFY = 0x06;
    public static final int ABORT = 0x08;
    public static final int SET_FEATURES = 0x09;
    public static final int GET_FEATURES = 0x0A;
    public static final int ASYNC_EVENT_REQUEST = 0x0C;
    public static final int NAMESPACE_MANAGEMENT = 0x0D;
    public static final int FIRMWARE_COMMIT = 0x10;
    public static final int FIRMWARE_DOWNLOAD = 0x11;
    public static final int DEVICE_SELF_TEST = 0x14;
    public static final int NAMESPACE_ATTACHMENT = 0x15;
    public static final int KEEP_ALIVE = 0x18;
    public static final int DIRECTIVE_SEND = 0x19;
    public static final int DIRECTIVE_RECEIVE = 0x1A;
    public static final int VIRTUALIZATION_MANAGEMENT = 0x1C;
    public static final int NVME_MI_SEND = 0x1D;
    public static final int NVME_MI_RECEIVE = 0x1E;
    public static final int DOORBELL_BUFFER_CONFIG = 0x7C;
    /** Fabrics commands share this opcode on every queue; the type is in byte 4 (see FabricsCommandType). */
    public static final int FABRICS = 0x7F;
    public static final int FORMAT_NVM = 0x80;
    public static final int SECURITY_SEND = 0x81;
    public static final int SECURITY_RECEIVE = 0x82;
    public static final int SANITIZE = 0x84;
    public static final int GET_LBA_STATUS = 0x86;

    private AdminOpcode() {
    }

    /** Bits 1:0 of every opcode give the data transfer direction (NVMe Base 2.0, Figure 138). */
    public static boolean transfersHostToController(int opcode) {
        return (opcode & 0x01) != 0;
    }

    public static boolean transfersControllerToHost(int opcode) {
        return (opcode & 0x02) != 0;
    }
}
