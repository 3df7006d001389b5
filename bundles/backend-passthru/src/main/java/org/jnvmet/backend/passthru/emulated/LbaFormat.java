package org.jnvmet.backend.passthru.emulated;

/**
 * One LBA format of a namespace (NVM Command Set 1.0, Figure 98).
 *
 * @param dataSize     logical block size in bytes, a power of two from 512 to 64 KiB
 * @param metadataSize metadata bytes per block (MS); 0 for none
 */
public record LbaFormat(int dataSize, int metadataSize) {
    public static final LbaFormat B512 = new LbaFormat(512, 0);
    public static final LbaFormat B4096 = new LbaFormat(4096, 0);
    public static final LbaFormat B512_MD8 = new LbaFormat(512, 8);
    public static final LbaFormat B4096_MD64 = new LbaFormat(4096, 64);

    public LbaFormat {
        if (Integer.bitCount(dataSize) != 1 || dataSize < 512 || dataSize > 65536) {
            throw new IllegalArgumentException("LBA data size must be a power of two in 512..65536: " + dataSize);
        }
        if (metadataSize < 0 || metadataSize > 0xFFFF) {
            throw new IllegalArgumentException("metadata size out of range: " + metadataSize);
        }
    }

    /** LBADS: log2 of the data size. */
    public int dataSizeShift() {
        return Integer.numberOfTrailingZeros(dataSize);
    }
}
