package org.jnvmet.protocol.nvme;

/**
 * Asynchronous Event Request completion DW0 (NVMe Base 2.0, 5.2 "Asynchronous Event Request command", Figures
 * 146-151): event type bits 2:0, event information bits 15:8, log page identifier bits 23:16.
 */
public final class AsyncEventType {
    public static final int ERROR = 0x0;
    public static final int SMART_HEALTH = 0x1;
    public static final int NOTICE = 0x2;
    public static final int IMMEDIATE = 0x3;
    public static final int IO_COMMAND_SPECIFIC = 0x6;
    public static final int VENDOR_SPECIFIC = 0x7;

    /** Notice event information values (Figure 151). */
    public static final int NOTICE_NAMESPACE_ATTRIBUTE_CHANGED = 0x00;
    public static final int NOTICE_FIRMWARE_ACTIVATION_STARTING = 0x01;
    public static final int NOTICE_TELEMETRY_LOG_CHANGED = 0x02;
    public static final int NOTICE_ANA_CHANGE = 0x03;
    public static final int NOTICE_DISCOVERY_LOG_CHANGED = 0xF0;

    private AsyncEventType() {
    }

    public static int result(int type, int info, int logPage) {
        return (type & 0x7) | (info & 0xFF) << 8 | (logPage & 0xFF) << 16;
    }

    public static int type(int result) {
        return result & 0x7;
    }

    public static int info(int result) {
        return (result >>> 8) & 0xFF;
    }

    public static int logPage(int result) {
        return (result >>> 16) & 0xFF;
    }
}
