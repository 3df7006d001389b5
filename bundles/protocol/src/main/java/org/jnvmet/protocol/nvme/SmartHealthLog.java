package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** SMART / Health Information log page, 512 bytes (NVMe Base 2.0, 5.16.1.3, Figure 207). */
public final class SmartHealthLog {
    public static final int SIZE = 512;
    public static final int CRITICAL_WARNING = 0;
    public static final int COMPOSITE_TEMPERATURE = 1;
    public static final int AVAILABLE_SPARE = 3;
    public static final int AVAILABLE_SPARE_THRESHOLD = 4;
    public static final int PERCENTAGE_USED = 5;
    public static final int ENDURANCE_GROUP_CRITICAL_WARNING = 6;
    /** 128-bit counters; one data unit is 1000 units of 512 bytes, rounded up. */
    public static final int DATA_UNITS_READ = 32;
    public static final int DATA_UNITS_WRITTEN = 48;
    public static final int HOST_READ_COMMANDS = 64;
    public static final int HOST_WRITE_COMMANDS = 80;
    public static final int CONTROLLER_BUSY_TIME = 96;
    public static final int POWER_CYCLES = 112;
    public static final int POWER_ON_HOURS = 128;
    public static final int UNSAFE_SHUTDOWNS = 144;
    public static final int MEDIA_ERRORS = 160;
    public static final int NUMBER_OF_ERROR_LOG_ENTRIES = 176;
    public static final int WARNING_TEMPERATURE_TIME = 192;
    public static final int CRITICAL_TEMPERATURE_TIME = 196;
    public static final int TEMPERATURE_SENSOR1 = 200;

    private SmartHealthLog() {
    }

    /** Data units (thousands of 512-byte units, rounded up) for a count of 512-byte sectors. */
    public static long dataUnits(long sectors) {
        return (sectors + 999) / 1000;
    }

    /** Sets a 128-bit little endian counter from an unsigned 64-bit value. */
    public static void set128(ByteBuf log, int offset, long value) {
        log.setLongLE(offset, value);
        log.setLongLE(offset + 8, 0);
    }

    /** Reads the low 64 bits of a 128-bit counter. */
    public static long get128Low(ByteBuf log, int offset) {
        return log.getLongLE(offset);
    }
}
