package org.jnvmet.protocol.nvme;

/** Asymmetric Namespace Access log page (NVMe Base 2.0, 5.16.1.12, Figures 222-223). */
public final class AsymmetricNamespaceAccessLog {
    public static final int HEADER_SIZE = 16;
    public static final int CHANGE_COUNT = 0;
    public static final int NUMBER_OF_GROUPS = 8;

    /** ANA Group Descriptor fields, relative to the descriptor; NSIDs follow at {@link #DESC_NSIDS}. */
    public static final int DESC_SIZE = 32;
    public static final int DESC_GROUP_ID = 0;
    public static final int DESC_NUMBER_OF_NSIDS = 4;
    public static final int DESC_CHANGE_COUNT = 8;
    public static final int DESC_STATE = 16;
    public static final int DESC_NSIDS = 32;

    public static final int STATE_OPTIMIZED = 0x01;
    public static final int STATE_NON_OPTIMIZED = 0x02;
    public static final int STATE_INACCESSIBLE = 0x03;
    public static final int STATE_PERSISTENT_LOSS = 0x04;
    public static final int STATE_CHANGE = 0x0F;

    /** LSP bit 0: Return Groups Only (no NSID lists). */
    public static final int LSP_RGO = 1 << 0;

    private AsymmetricNamespaceAccessLog() {
    }
}
