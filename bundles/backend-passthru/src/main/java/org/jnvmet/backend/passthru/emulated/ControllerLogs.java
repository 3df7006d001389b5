package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jnvmet.protocol.nvme.ChangedNamespaceListLog;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.SmartHealthLog;

/** Controller-wide log state of the emulated controller: SMART counters, error entries, changed namespaces. */
final class ControllerLogs {
    /** ELPE + 1: error log entries kept. */
    static final int ERROR_ENTRIES = 64;
    private static final int KELVIN_OPERATING = 310;

    final AtomicLong sectorsRead = new AtomicLong();
    final AtomicLong sectorsWritten = new AtomicLong();
    final AtomicLong hostReads = new AtomicLong();
    final AtomicLong hostWrites = new AtomicLong();
    final AtomicLong mediaErrors = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile int criticalWarning;

    private final ArrayDeque<byte[]> errors = new ArrayDeque<>();
    private long errorCount;
    private final TreeSet<Integer> changedNamespaces = new TreeSet<>(Integer::compareUnsigned);
    private boolean changedOverflow;

    int criticalWarning() {
        return criticalWarning;
    }

    /** Sets the warning bits; returns those newly set. */
    synchronized int setCriticalWarning(int bits) {
        int added = bits & ~criticalWarning;
        criticalWarning = bits & 0xFF;
        return added;
    }

    void smart(ByteBuf log) {
        log.setByte(SmartHealthLog.CRITICAL_WARNING, criticalWarning);
        log.setShortLE(SmartHealthLog.COMPOSITE_TEMPERATURE, KELVIN_OPERATING);
        log.setByte(SmartHealthLog.AVAILABLE_SPARE, (criticalWarning & 1) != 0 ? 5 : 100);
        log.setByte(SmartHealthLog.AVAILABLE_SPARE_THRESHOLD, 10);
        SmartHealthLog.set128(log, SmartHealthLog.DATA_UNITS_READ, SmartHealthLog.dataUnits(sectorsRead.get()));
        SmartHealthLog.set128(log, SmartHealthLog.DATA_UNITS_WRITTEN,
                SmartHealthLog.dataUnits(sectorsWritten.get()));
        SmartHealthLog.set128(log, SmartHealthLog.HOST_READ_COMMANDS, hostReads.get());
        SmartHealthLog.set128(log, SmartHealthLog.HOST_WRITE_COMMANDS, hostWrites.get());
        SmartHealthLog.set128(log, SmartHealthLog.POWER_CYCLES, 1);
        long hours = (System.nanoTime() - startNanos) / 3_600_000_000_000L;
        SmartHealthLog.set128(log, SmartHealthLog.POWER_ON_HOURS, hours);
        SmartHealthLog.set128(log, SmartHealthLog.MEDIA_ERRORS, mediaErrors.get());
        synchronized (this) {
            SmartHealthLog.set128(log, SmartHealthLog.NUMBER_OF_ERROR_LOG_ENTRIES, errorCount);
        }
        log.setShortLE(SmartHealthLog.TEMPERATURE_SENSOR1, KELVIN_OPERATING);
    }

    /** Records a failed command in the Error Information log. */
    synchronized void recordError(int sqid, int status, int nsid) {
        byte[] e = new byte[ErrorInformationLogEntry.SIZE];
        long count = ++errorCount;
        for (int i = 0; i < 8; i++) {
            e[ErrorInformationLogEntry.ERROR_COUNT + i] = (byte) (count >>> (8 * i));
        }
        putShort(e, ErrorInformationLogEntry.SQID, sqid);
        putShort(e, ErrorInformationLogEntry.CID, 0xFFFF);
        putShort(e, ErrorInformationLogEntry.STATUS_FIELD, (status & 0x7FFF) << 1);
        putShort(e, ErrorInformationLogEntry.PARAMETER_ERROR_LOCATION, 0xFFFF);
        for (int i = 0; i < 4; i++) {
            e[ErrorInformationLogEntry.NAMESPACE + i] = (byte) (nsid >>> (8 * i));
        }
        errors.addFirst(e);
        if (errors.size() > ERROR_ENTRIES) {
            errors.removeLast();
        }
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    synchronized void errorLog(ByteBuf log) {
        int off = 0;
        for (Iterator<byte[]> it = errors.iterator(); it.hasNext(); off += ErrorInformationLogEntry.SIZE) {
            log.setBytes(off, it.next());
        }
    }

    synchronized void namespaceChanged(int nsid) {
        changedNamespaces.add(nsid);
        if (changedNamespaces.size() > ChangedNamespaceListLog.MAX_ENTRIES) {
            changedOverflow = true;
            changedNamespaces.clear();
        }
    }

    /** Fills the Changed Namespace List log and clears it (reading the log clears it, NVMe Base 2.0 5.16.1.5). */
    synchronized void takeChangedNamespaces(ByteBuf log) {
        if (changedOverflow) {
            NamespaceIdList.set(log, 0, NamespaceIdList.OVERFLOW);
        } else {
            int i = 0;
            for (int nsid : changedNamespaces) {
                NamespaceIdList.set(log, i++, nsid);
            }
        }
        changedNamespaces.clear();
        changedOverflow = false;
    }

    void countRead(long bytes) {
        hostReads.incrementAndGet();
        sectorsRead.addAndGet(bytes >>> 9);
    }

    void countWrite(long bytes) {
        hostWrites.incrementAndGet();
        sectorsWritten.addAndGet(bytes >>> 9);
    }
}
