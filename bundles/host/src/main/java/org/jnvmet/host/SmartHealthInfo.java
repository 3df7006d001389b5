package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.SmartHealthLog;

/**
 * The SMART / Health Information log page (02h) read through the {@link SmartHealthLog} layout. 128-bit counters
 * are returned as their low 64 bits.
 */
public record SmartHealthInfo(int criticalWarning, int compositeTemperature, int availableSpare,
        int availableSpareThreshold, int percentageUsed, long dataUnitsRead, long dataUnitsWritten,
        long hostReadCommands, long hostWriteCommands, long powerCycles, long powerOnHours, long unsafeShutdowns,
        long mediaErrors, long errorLogEntries) {

    public static SmartHealthInfo parse(ByteBuf log) {
        if (log.readableBytes() < SmartHealthLog.SIZE) {
            throw new IllegalArgumentException("SMART log is 512 bytes, got " + log.readableBytes());
        }
        ByteBuf b = log.slice(log.readerIndex(), SmartHealthLog.SIZE);
        return new SmartHealthInfo(b.getUnsignedByte(SmartHealthLog.CRITICAL_WARNING),
                b.getUnsignedShortLE(SmartHealthLog.COMPOSITE_TEMPERATURE),
                b.getUnsignedByte(SmartHealthLog.AVAILABLE_SPARE),
                b.getUnsignedByte(SmartHealthLog.AVAILABLE_SPARE_THRESHOLD),
                b.getUnsignedByte(SmartHealthLog.PERCENTAGE_USED),
                SmartHealthLog.get128Low(b, SmartHealthLog.DATA_UNITS_READ),
                SmartHealthLog.get128Low(b, SmartHealthLog.DATA_UNITS_WRITTEN),
                SmartHealthLog.get128Low(b, SmartHealthLog.HOST_READ_COMMANDS),
                SmartHealthLog.get128Low(b, SmartHealthLog.HOST_WRITE_COMMANDS),
                SmartHealthLog.get128Low(b, SmartHealthLog.POWER_CYCLES),
                SmartHealthLog.get128Low(b, SmartHealthLog.POWER_ON_HOURS),
                SmartHealthLog.get128Low(b, SmartHealthLog.UNSAFE_SHUTDOWNS),
                SmartHealthLog.get128Low(b, SmartHealthLog.MEDIA_ERRORS),
                SmartHealthLog.get128Low(b, SmartHealthLog.NUMBER_OF_ERROR_LOG_ENTRIES));
    }
}
