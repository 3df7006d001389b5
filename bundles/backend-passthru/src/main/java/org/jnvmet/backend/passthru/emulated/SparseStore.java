package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/** A namespace's bytes in 64 KiB chunks allocated on first write; unwritten and deallocated ranges read as zeroes. */
final class SparseStore {
    static final int CHUNK_SHIFT = 16;
    static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private final ConcurrentHashMap<Long, byte[]> chunks = new ConcurrentHashMap<>();

    /** Copies {@code length} bytes at {@code offset} into {@code dst} at {@code dstIndex} (indices unchanged). */
    void read(long offset, ByteBuf dst, int dstIndex, int length) {
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            int within = (int) (pos & CHUNK_MASK);
            int n = Math.min(length - done, CHUNK_SIZE - within);
            byte[] chunk = chunks.get(pos >>> CHUNK_SHIFT);
            if (chunk == null) {
                dst.setZero(dstIndex + done, n);
            } else {
                dst.setBytes(dstIndex + done, chunk, within, n);
            }
            done += n;
        }
    }

    /** Copies {@code length} bytes of {@code src} at {@code srcIndex} to {@code offset} (indices unchanged). */
    void write(long offset, ByteBuf src, int srcIndex, int length) {
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            int within = (int) (pos & CHUNK_MASK);
            int n = Math.min(length - done, CHUNK_SIZE - within);
            byte[] chunk = chunks.computeIfAbsent(pos >>> CHUNK_SHIFT, k -> new byte[CHUNK_SIZE]);
            src.getBytes(srcIndex + done, chunk, within, n);
            done += n;
        }
    }

    /** Zeroes (deallocates) a range: whole chunks are dropped. */
    void zero(long offset, long length) {
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            int within = (int) (pos & CHUNK_MASK);
            long n = Math.min(end - pos, CHUNK_SIZE - within);
            long index = pos >>> CHUNK_SHIFT;
            if (n == CHUNK_SIZE) {
                chunks.remove(index);
            } else {
                byte[] chunk = chunks.get(index);
                if (chunk != null) {
                    Arrays.fill(chunk, within, within + (int) n, (byte) 0);
                }
            }
            pos += n;
        }
    }

    void clear() {
        chunks.clear();
    }

    /** Bytes held in memory. */
    long allocatedBytes() {
        return (long) chunks.size() * CHUNK_SIZE;
    }

    /** Drops chunks beyond {@code sizeBytes} after a shrink. */
    void truncate(long sizeBytes) {
        chunks.keySet().removeIf(index -> index << CHUNK_SHIFT >= sizeBytes);
        long tail = sizeBytes & CHUNK_MASK;
        if (tail != 0) {
            byte[] last = chunks.get(sizeBytes >>> CHUNK_SHIFT);
            if (last != null) {
                Arrays.fill(last, (int) tail, CHUNK_SIZE, (byte) 0);
            }
        }
    }
}
