package org.jnvmet.spi.passthru;

import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.LogPageId;

/**
 * Something the controller reported by itself, for forwarding as an Asynchronous Event to fabrics hosts (which the
 * Linux target never does).
 *
 * @param kind   what happened
 * @param detail {@link Kind#NAMESPACE_ATTRIBUTE_CHANGED}: the NSID (0xFFFFFFFF when unknown or many);
 *               {@link Kind#SMART_CRITICAL_WARNING}: the SMART Critical Warning bits now set; otherwise 0
 */
public record DeviceEvent(Kind kind, int detail) {
    public enum Kind {
        /** A namespace was added, removed, resized or reformatted (Changed Namespace List log). */
        NAMESPACE_ATTRIBUTE_CHANGED,
        /** New SMART / Health critical warning bits (log page 02h byte 0). */
        SMART_CRITICAL_WARNING,
        /** The controller is gone; every later command fails with ENODEV. */
        REMOVED
    }

    /** SMART critical warning bits (NVMe Base 2.0, Figure 207 byte 0). */
    public static final int CW_SPARE_BELOW_THRESHOLD = 1 << 0;
    public static final int CW_TEMPERATURE = 1 << 1;
    public static final int CW_RELIABILITY_DEGRADED = 1 << 2;
    public static final int CW_READ_ONLY = 1 << 3;
    public static final int CW_VOLATILE_BACKUP_FAILED = 1 << 4;

    /** SMART/Health event information values (NVMe Base 2.0, Figure 149). */
    static final int SMART_INFO_RELIABILITY = 0x00;
    static final int SMART_INFO_TEMPERATURE = 0x01;
    static final int SMART_INFO_SPARE = 0x02;

    public static DeviceEvent namespaceChanged(int nsid) {
        return new DeviceEvent(Kind.NAMESPACE_ATTRIBUTE_CHANGED, nsid);
    }

    public static DeviceEvent smartCriticalWarning(int bits) {
        return new DeviceEvent(Kind.SMART_CRITICAL_WARNING, bits & 0xFF);
    }

    public static DeviceEvent removed() {
        return new DeviceEvent(Kind.REMOVED, 0);
    }

    /**
     * The Asynchronous Event Request completion DW0 a target sends for this event, or -1 if it has none
     * ({@link Kind#REMOVED} is seen by hosts as failing commands, not as an event).
     */
    public int asyncEventResult() {
        return switch (kind) {
            case NAMESPACE_ATTRIBUTE_CHANGED -> AsyncEventType.result(AsyncEventType.NOTICE,
                    AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, LogPageId.CHANGED_NAMESPACE_LIST);
            case SMART_CRITICAL_WARNING -> AsyncEventType.result(AsyncEventType.SMART_HEALTH, smartInfo(detail),
                    LogPageId.SMART_HEALTH);
            case REMOVED -> -1;
        };
    }

    private static int smartInfo(int bits) {
        if ((bits & CW_SPARE_BELOW_THRESHOLD) != 0) {
            return SMART_INFO_SPARE;
        }
        if ((bits & CW_TEMPERATURE) != 0) {
            return SMART_INFO_TEMPERATURE;
        }
        return SMART_INFO_RELIABILITY;
    }
}
