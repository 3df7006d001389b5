package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;

/** A controller's Error Information log: a ring of slots like the Linux target's ctrl->slots. */
final class ErrorLog {
    private final int slots;
    private final long[] count;
    private final int[] sqid;
    private final int[] cid;
    private final int[] status;
    private final int[] location;
    private final long[] lba;
    private final int[] nsid;
    private long counter;

    ErrorLog(int slots) {
        this.slots = slots;
        count = new long[slots];
        sqid = new int[slots];
        cid = new int[slots];
        status = new int[slots];
        location = new int[slots];
        lba = new long[slots];
        nsid = new int[slots];
    }

    synchronized void record(int qid, int commandId, int statusField, int errorLocation, long errorLba, int ns) {
        counter++;
        int s = (int) (counter % slots);
        count[s] = counter;
        sqid[s] = qid;
        cid[s] = commandId;
        status[s] = statusField;
        location[s] = errorLocation;
        lba[s] = errorLba;
        nsid[s] = ns;
    }

    synchronized long counter() {
        return counter;
    }

    /**
     * Writes entries newest first, as many whole 64-byte entries as fit in {@code length} bytes at {@code base}
     * (the Linux target stops at the first entry that does not fit); the rest stays as the caller zeroed it.
     */
    synchronized void write(ByteBuf out, int base, int length) {
        int slot = (int) (counter % slots);
        int off = 0;
        for (int i = 0; i < slots && off + ErrorInformationLogEntry.SIZE <= length; i++) {
            int e = base + off;
            if (count[slot] != 0) {
                out.setLongLE(e + ErrorInformationLogEntry.ERROR_COUNT, count[slot]);
                out.setShortLE(e + ErrorInformationLogEntry.SQID, sqid[slot]);
                out.setShortLE(e + ErrorInformationLogEntry.CID, cid[slot]);
                out.setShortLE(e + ErrorInformationLogEntry.STATUS_FIELD, status[slot] << 1);
                out.setShortLE(e + ErrorInformationLogEntry.PARAMETER_ERROR_LOCATION, location[slot]);
                out.setLongLE(e + ErrorInformationLogEntry.LBA, lba[slot]);
                out.setIntLE(e + ErrorInformationLogEntry.NAMESPACE, nsid[slot]);
            }
            slot = slot == 0 ? slots - 1 : slot - 1;
            off += ErrorInformationLogEntry.SIZE;
        }
    }
}
