package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;

/**
 * One Error Information log entry (log page 01h) read through the {@link ErrorInformationLogEntry} layout.
 *
 * @param errorCount              unique, increasing error number; 0 for an empty entry
 * @param sqid                    submission queue of the failed command
 * @param cid                     its command identifier
 * @param status                  its 15-bit status field
 * @param parameterErrorLocation  byte (bits 7:0) and bit (10:8) of the field in error, 0xFFFF if not applicable
 * @param lba                     first LBA in error
 * @param nsid                    namespace
 */
public record ErrorLogEntry(long errorCount, int sqid, int cid, int status, int parameterErrorLocation, long lba,
        int nsid) {

    /** Parses the entry at byte {@code offset} of a log page buffer. */
    public static ErrorLogEntry parse(ByteBuf log, int offset) {
        return new ErrorLogEntry(log.getLongLE(offset + ErrorInformationLogEntry.ERROR_COUNT),
                log.getUnsignedShortLE(offset + ErrorInformationLogEntry.SQID),
                log.getUnsignedShortLE(offset + ErrorInformationLogEntry.CID),
                log.getUnsignedShortLE(offset + ErrorInformationLogEntry.STATUS_FIELD) >>> 1,
                log.getUnsignedShortLE(offset + ErrorInformationLogEntry.PARAMETER_ERROR_LOCATION),
                log.getLongLE(offset + ErrorInformationLogEntry.LBA),
                log.getIntLE(offset + ErrorInformationLogEntry.NAMESPACE));
    }
}
