package org.jnvmet.itests.support;

import io.netty.buffer.ByteBuf;

/**
 * Deterministic block contents: every byte depends on the seed, the LBA and its offset in the block, so a block
 * read from the wrong LBA, a stale block or a shifted buffer never matches.
 */
public final class BlockPattern {
    private BlockPattern() {
    }

    /** The byte at {@code offset} of block {@code lba}. */
    public static byte byteAt(long seed, long lba, int offset) {
        long x = seed * 0x9E3779B97F4A7C15L + lba * 0xBF58476D1CE4E5B9L + (offset >>> 3) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        x *= 0xD6E8FEB86653D2A5L;
        x ^= x >>> 29;
        return (byte) (x >>> ((offset & 7) * 8));
    }

    /** Appends {@code blocks} blocks starting at {@code slba} to {@code dst}. */
    public static void fill(ByteBuf dst, long seed, long slba, int blocks, int blockSize) {
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < blockSize; i++) {
                dst.writeByte(byteAt(seed, slba + b, i));
            }
        }
    }

    /** Checks {@code blocks} blocks from {@code slba} at the reader index of {@code data}; names the first mismatch. */
    public static void verify(ByteBuf data, long seed, long slba, int blocks, int blockSize) {
        int base = data.readerIndex();
        if (data.readableBytes() < (long) blocks * blockSize) {
            throw new AssertionError("read returned " + data.readableBytes() + " bytes, expected "
                    + (long) blocks * blockSize);
        }
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < blockSize; i++) {
                byte expected = byteAt(seed, slba + b, i);
                byte actual = data.getByte(base + b * blockSize + i);
                if (actual != expected) {
                    throw new AssertionError(String.format("LBA %d byte %d: read 0x%02x, wrote 0x%02x (seed %d)",
                            slba + b, i, actual & 0xFF, expected & 0xFF, seed));
                }
            }
        }
    }
}
