package org.jnvmet.spi.passthru;

/**
 * Transfer limits of a controller's request queue, from which a passthru target derives Identify Controller MDTS
 * (Linux: {@code nvmet_passthru_override_id_ctrl}).
 *
 * @param maxHwSectorsKb     largest transfer the driver accepts, in KiB (sysfs {@code queue/max_hw_sectors_kb});
 *                           0 = unknown
 * @param maxSegments        largest number of memory segments of one transfer ({@code queue/max_segments}); 0 =
 *                           unknown
 * @param pageSize           size of one segment page on the host that drives the device (its PAGE_SIZE, 4096)
 * @param controllerPageSize smallest memory page size of the controller, 2^(12 + CAP.MPSMIN); Linux drives every
 *                           controller with 4 KiB pages and refuses larger MPSMIN, so 4096 in practice
 */
public record QueueLimits(int maxHwSectorsKb, int maxSegments, int pageSize, int controllerPageSize) {
    public static final int DEFAULT_PAGE_SIZE = 4096;
    /** BIO_MAX_VECS: a transfer the Linux passthru target maps is one bio of at most this many pages. */
    public static final int MAX_BIO_PAGES = 256;

    public QueueLimits {
        if (maxHwSectorsKb < 0 || maxSegments < 0) {
            throw new IllegalArgumentException("negative queue limit");
        }
        if (Integer.bitCount(pageSize) != 1 || pageSize < 512) {
            throw new IllegalArgumentException("page size must be a power of two >= 512: " + pageSize);
        }
        if (Integer.bitCount(controllerPageSize) != 1 || controllerPageSize < 4096) {
            throw new IllegalArgumentException("controller page size must be a power of two >= 4096: "
                    + controllerPageSize);
        }
    }

    public static QueueLimits of(int maxHwSectorsKb, int maxSegments) {
        return new QueueLimits(maxHwSectorsKb, maxSegments, DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    }

    /** CAP.MPSMIN of the controller: log2(controllerPageSize) - 12. */
    public int mpsmin() {
        return Integer.numberOfTrailingZeros(controllerPageSize) - 12;
    }

    /**
     * Largest transfer in 512-byte sectors a passthru target may accept, Linux's formula:
     * min_not_zero(max_segments pages, max_hw_sectors), then min_not_zero(BIO_MAX_VECS pages, that).
     */
    public long maxTransferSectors() {
        long pageSectors = pageSize / 512;
        long hw = minNotZero((long) maxSegments * pageSectors, (long) maxHwSectorsKb * 2);
        return minNotZero(MAX_BIO_PAGES * pageSectors, hw);
    }

    /** {@link #maxTransferSectors()} in bytes. */
    public long maxTransferBytes() {
        return maxTransferSectors() * 512;
    }

    private static long minNotZero(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }
}
