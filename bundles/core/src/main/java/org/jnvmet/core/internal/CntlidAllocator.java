package org.jnvmet.core.internal;

import java.util.BitSet;

/** Controller IDs, unique across the target like the Linux target's global cntlid IDA. */
final class CntlidAllocator {
    private final BitSet used = new BitSet(0xFFF0);

    /** The lowest free ID in {@code min..max}, or -1 when the range is exhausted. */
    synchronized int allocate(int min, int max) {
        int id = used.nextClearBit(min);
        if (id > max) {
            return -1;
        }
        used.set(id);
        return id;
    }

    synchronized void free(int id) {
        used.clear(id);
    }
}
