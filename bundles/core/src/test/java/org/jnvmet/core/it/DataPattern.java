package org.jnvmet.core.it;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Random-looking data that is a pure function of (seed, namespace, LBA): writes and reads may be cut into
 * different extents and still be verified without keeping the data. Buffers are filled and checked with one bulk
 * copy each, because paranoid leak detection records every single access to a pooled buffer.
 */
final class DataPattern {
    static final int BLOCK = 512;
    private final long seed;

    DataPattern(long seed) {
        this.seed = seed;
    }

    private SplittableRandom block(int nsid, long lba) {
        return new SplittableRandom(seed ^ (long) nsid << 48 ^ lba * 0x9E3779B97F4A7C15L);
    }

    private byte[] expected(int nsid, long lba, int blocks) {
        byte[] out = new byte[blocks * BLOCK];
        ByteBuffer b = ByteBuffer.wrap(out);
        for (int i = 0; i < blocks; i++) {
            SplittableRandom r = block(nsid, lba + i);
            for (int j = 0; j < BLOCK / 8; j++) {
                b.putLong(r.nextLong());
            }
        }
        return out;
    }

    /** Appends {@code blocks} blocks starting at {@code lba}. */
    void fill(ByteBuf buf, int nsid, long lba, int blocks) {
        buf.writeBytes(expected(nsid, lba, blocks));
    }

    /** The first difference between {@code buf} (its readable bytes) and the pattern, or null. */
    String mismatch(ByteBuf buf, int nsid, long lba, int blocks) {
        if (buf.readableBytes() != blocks * BLOCK) {
            return "read " + buf.readableBytes() + " bytes, expected " + blocks * BLOCK;
        }
        byte[] actual = new byte[blocks * BLOCK];
        buf.getBytes(buf.readerIndex(), actual);
        byte[] expected = expected(nsid, lba, blocks);
        int at = java.util.Arrays.mismatch(expected, actual);
        if (at < 0) {
            return null;
        }
        return "ns " + nsid + " LBA " + (lba + at / BLOCK) + " byte " + at % BLOCK + ": expected "
                + expected[at] + " got " + actual[at];
    }
}
