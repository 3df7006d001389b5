package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Namespace ID list (NVMe Base 2.0, 4.4.2 "Namespace List"): up to 1024 NSIDs in increasing order, zero filled,
 * as returned for Identify CNS 02h/07h. The Changed Namespace List log page has the same layout.
 */
public final class NamespaceIdList {
    public static final int SIZE = 4096;
    public static final int MAX_ENTRIES = SIZE / 4;
    /** A list entry 0xFFFFFFFF means "more than 1024 namespaces changed" in the Changed Namespace List log. */
    public static final int OVERFLOW = 0xFFFFFFFF;

    private NamespaceIdList() {
    }

    public static int get(ByteBuf list, int index) {
        return list.getIntLE(index * 4);
    }

    public static void set(ByteBuf list, int index, int nsid) {
        list.setIntLE(index * 4, nsid);
    }

    /** Number of entries before the first zero. */
    public static int count(ByteBuf list) {
        int n = 0;
        while (n < MAX_ENTRIES && n * 4 + 4 <= list.capacity() && list.getIntLE(n * 4) != 0) {
            n++;
        }
        return n;
    }
}
