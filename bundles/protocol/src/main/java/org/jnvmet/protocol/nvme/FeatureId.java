package org.jnvmet.protocol.nvme;

/** Feature identifiers (NVMe Base 2.0, 5.27.1 "Feature Values", Figure 317). */
public final class FeatureId {
    public static final int ARBITRATION = 0x01;
    public static final int POWER_MANAGEMENT = 0x02;
    public static final int LBA_RANGE_TYPE = 0x03;
    public static final int TEMPERATURE_THRESHOLD = 0x04;
    public static final int ERROR_RECOVERY = 0x05;
    public static final int VOLATILE_WRITE_CACHE = 0x06;
    public static final int NUMBER_OF_QUEUES = 0x07;
    public static final int INTERRUPT_COALESCING = 0x08;
    public static final int INTERRUPT_VECTOR_CONFIGURATION = 0x09;
    public static final int WRITE_ATOMICITY_NORMAL = 0x0A;
    public static final int ASYNC_EVENT_CONFIGURATION = 0x0B;
    public static final int AUTONOMOUS_POWER_STATE_TRANSITION = 0x0C;
    public static final int HOST_MEMORY_BUFFER = 0x0D;
    public static final int TIMESTAMP = 0x0E;
    public static final int KEEP_ALIVE_TIMER = 0x0F;
    public static final int HOST_CONTROLLED_THERMAL_MANAGEMENT = 0x10;
    public static final int NON_OPERATIONAL_POWER_STATE_CONFIG = 0x11;
    public static final int HOST_BEHAVIOR_SUPPORT = 0x16;
    public static final int SOFTWARE_PROGRESS_MARKER = 0x80;
    public static final int HOST_IDENTIFIER = 0x81;
    public static final int RESERVATION_NOTIFICATION_MASK = 0x82;
    public static final int RESERVATION_PERSISTENCE = 0x83;
    public static final int NAMESPACE_WRITE_PROTECTION = 0x84;

    /** Asynchronous Event Configuration bits (Figure 334). */
    public static final int AEN_CFG_SMART_MASK = 0x1F;
    public static final int AEN_CFG_NAMESPACE_ATTRIBUTE = 1 << 8;
    public static final int AEN_CFG_FIRMWARE_ACTIVATION = 1 << 9;
    public static final int AEN_CFG_TELEMETRY = 1 << 10;
    public static final int AEN_CFG_ANA_CHANGE = 1 << 11;
    public static final int AEN_CFG_DISCOVERY_CHANGE = 1 << 31;

    /** Host Identifier (81h): CDW11 bit 0 selects the 128-bit identifier. */
    public static final int HOST_ID_EXHID = 1 << 0;
    public static final int HOST_ID_EXTENDED_SIZE = 16;

    private FeatureId() {
    }
}
