package org.jnvmet.protocol.nvme;

/** Supported Log Pages log page, 1024 bytes (NVMe Base 2.0, 5.16.1.1, Figure 204): one 32-bit LIDS entry per LID. */
public final class SupportedLogPagesLog {
    public static final int SIZE = 1024;
    /** LID Supported bit of an entry. */
    public static final int LSUPP = 1 << 0;

    private SupportedLogPagesLog() {
    }

    public static int entry(int lid) {
        return lid * 4;
    }
}
