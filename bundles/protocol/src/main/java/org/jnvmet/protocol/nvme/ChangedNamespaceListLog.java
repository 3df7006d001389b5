package org.jnvmet.protocol.nvme;

/**
 * Changed Namespace List log page, 4096 bytes (NVMe Base 2.0, 5.16.1.5, Figure 209): the NSIDs whose attributes
 * changed since the log was last read, as a {@link NamespaceIdList}; entry 0 = 0xFFFFFFFF when more than 1024 changed.
 */
public final class ChangedNamespaceListLog {
    public static final int SIZE = 4096;
    public static final int MAX_ENTRIES = 1024;

    private ChangedNamespaceListLog() {
    }
}
