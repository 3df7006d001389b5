package org.jnvmet.protocol.nvme;

/** Firmware Slot Information log page, 512 bytes (NVMe Base 2.0, 5.16.1.4, Figure 208). */
public final class FirmwareSlotLog {
    public static final int SIZE = 512;
    /** Active Firmware Info: bits 2:0 active slot, bits 6:4 slot activated at next reset. */
    public static final int AFI = 0;
    /** Firmware Revision for Slot 1; slots 2-7 follow at 8-byte steps. */
    public static final int FRS1 = 8;
    public static final int FRS_LENGTH = 8;

    private FirmwareSlotLog() {
    }

    public static int frs(int slot) {
        return FRS1 + (slot - 1) * FRS_LENGTH;
    }
}
