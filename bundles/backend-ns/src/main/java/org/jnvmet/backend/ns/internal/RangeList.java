package org.jnvmet.backend.ns.internal;

import org.jnvmet.protocol.nvme.Status;

/** Checks the (offset, length) byte pairs of a Dataset Management deallocate before any range is touched. */
final class RangeList {
    /** Dataset Management NR is 0's based in 8 bits: at most 256 ranges (NVM Command Set 1.0, 3.2.3). */
    static final int MAX_RANGES = 256;

    private RangeList() {
    }

    static int validate(long[] ranges, int count, long capacity) {
        if (ranges == null || count < 0 || count > MAX_RANGES || count > ranges.length / 2) {
            return Status.INVALID_FIELD | Status.DNR;
        }
        for (int i = 0; i < count; i++) {
            if (!IoErrors.inRange(ranges[2 * i], ranges[2 * i + 1], capacity)) {
                return IoErrors.CAPACITY_EXCEEDED;
            }
        }
        return Status.SUCCESS;
    }
}
