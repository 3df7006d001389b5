package org.jnvmet.backend.ns.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.transport.NvmeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace held in direct memory, in 1 MiB chunks allocated on first write: a large namespace costs nothing until
 * written, never-written chunks read as zeroes, and deallocating a whole chunk frees it. Everything completes on the
 * caller's thread (it is a memory copy, cheaper than a hand-off).
 *
 * <p>Chunks may be freed (deallocate, close) while another thread copies from them. A copy therefore holds a
 * reference ({@link ByteBuf#retain()}) for its duration; retaining a chunk that has just been freed fails instead of
 * touching freed memory, and the copy treats the chunk as deallocated. This relies on chunk objects never being
 * recycled, which is why they come from an unpooled allocator (pooled buffer objects are reused).
 */
final class RamBackend implements BlockBackend {
    static final int CHUNK_SHIFT = 20;
    static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final Logger LOG = LoggerFactory.getLogger(RamBackend.class);

    private final String devicePath;
    private final long capacity;
    private final int blockShift;
    private final AtomicReferenceArray<ByteBuf> chunks;
    private final MemoryBudget budget;
    private final ByteBufAllocator allocator;
    private final Consumer<? super RamBackend> onClose;
    private volatile boolean closed;

    RamBackend(String devicePath, long capacity, int blockShift, MemoryBudget budget, ByteBufAllocator allocator,
            Consumer<? super RamBackend> onClose) {
        this.devicePath = devicePath;
        this.capacity = capacity;
        this.blockShift = blockShift;
        this.chunks = new AtomicReferenceArray<>(Math.toIntExact((capacity + CHUNK_MASK) >>> CHUNK_SHIFT));
        this.budget = budget;
        this.allocator = allocator;
        this.onClose = onClose;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public int blockSizeShift() {
        return blockShift;
    }

    /** Nothing to flush: a RAM namespace is as durable as it will ever be once a write completes. */
    @Override
    public boolean volatileWriteCache() {
        return false;
    }

    @Override
    public boolean supportsDeallocate() {
        return true;
    }

    @Override
    public void read(NvmeRequest req, long offset, int length) {
        int status;
        try {
            status = doRead(req.data(), offset, length);
        } catch (RuntimeException e) {
            LOG.warn("{}: read of {} bytes at {} failed", devicePath, length, offset, e);
            status = IoErrors.INTERNAL_DNR;
        }
        req.complete(status);
    }

    @Override
    public void write(NvmeRequest req, long offset, int length, boolean fua) {
        int status;
        try {
            status = doWrite(req.data(), offset, length);
        } catch (RuntimeException e) {
            LOG.warn("{}: write of {} bytes at {} failed", devicePath, length, offset, e);
            status = IoErrors.INTERNAL_DNR;
        }
        req.complete(status);
    }

    @Override
    public void flush(NvmeRequest req) {
        req.complete(closed ? IoErrors.INTERNAL_PATH_ERROR : Status.SUCCESS);
    }

    @Override
    public void writeZeroes(NvmeRequest req, long offset, long length) {
        int status;
        if (closed) {
            status = IoErrors.INTERNAL_PATH_ERROR;
        } else if (!IoErrors.inRange(offset, length, capacity)) {
            status = IoErrors.CAPACITY_EXCEEDED;
        } else {
            zeroRange(offset, length);
            status = Status.SUCCESS;
        }
        req.complete(status);
    }

    @Override
    public void deallocate(NvmeRequest req, long[] ranges, int count) {
        int status = RangeList.validate(ranges, count, capacity);
        if (closed) {
            status = IoErrors.INTERNAL_PATH_ERROR;
        }
        if (status == Status.SUCCESS) {
            for (int i = 0; i < count; i++) {
                zeroRange(ranges[2 * i], ranges[2 * i + 1]);
            }
        }
        req.complete(status);
    }

    @Override
    public long revalidate() {
        return capacity;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < chunks.length(); i++) {
            free(i);
        }
        onClose.accept(this);
    }

    /** Bytes of direct memory currently held by this namespace (tests, diagnostics). */
    long allocatedBytes() {
        long total = 0;
        for (int i = 0; i < chunks.length(); i++) {
            if (chunks.get(i) != null) {
                total += chunkLength(i);
            }
        }
        return total;
    }

    @Override
    public String toString() {
        return "RamBackend[" + devicePath + ", " + capacity + " bytes]";
    }

    private int doRead(ByteBuf data, long offset, int length) {
        if (closed) {
            return IoErrors.INTERNAL_PATH_ERROR;
        }
        if (!IoErrors.inRange(offset, length, capacity)) {
            return IoErrors.CAPACITY_EXCEEDED;
        }
        if (length == 0) {
            return Status.SUCCESS;
        }
        if (data == null) {
            return IoErrors.BAD_DATA_LENGTH;
        }
        data.ensureWritable(length);
        int base = data.writerIndex();
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            int index = (int) (pos >>> CHUNK_SHIFT);
            int inChunk = (int) (pos & CHUNK_MASK);
            int n = Math.min(length - done, CHUNK_SIZE - inChunk);
            ByteBuf chunk = retained(index);
            if (chunk == null) {
                data.setZero(base + done, n);
            } else {
                try {
                    chunk.getBytes(inChunk, data, base + done, n);
                } finally {
                    chunk.release();
                }
            }
            done += n;
        }
        data.writerIndex(base + length);
        return Status.SUCCESS;
    }

    private int doWrite(ByteBuf data, long offset, int length) {
        if (closed) {
            return IoErrors.INTERNAL_PATH_ERROR;
        }
        if (!IoErrors.inRange(offset, length, capacity)) {
            return IoErrors.CAPACITY_EXCEEDED;
        }
        if (length == 0) {
            return Status.SUCCESS;
        }
        if (data == null || data.readableBytes() < length) {
            return IoErrors.BAD_DATA_LENGTH;
        }
        int base = data.readerIndex();
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            int index = (int) (pos >>> CHUNK_SHIFT);
            int inChunk = (int) (pos & CHUNK_MASK);
            int n = Math.min(length - done, CHUNK_SIZE - inChunk);
            ByteBuf chunk = retainedForWrite(index);
            if (chunk == null) {
                return closed ? IoErrors.INTERNAL_PATH_ERROR : IoErrors.CAPACITY_EXCEEDED;
            }
            try {
                chunk.setBytes(inChunk, data, base + done, n);
            } finally {
                chunk.release();
            }
            done += n;
        }
        return Status.SUCCESS;
    }

    /** Frees whole chunks in the range and zeroes the partial ones at its ends. */
    private void zeroRange(long offset, long length) {
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            int index = (int) (pos >>> CHUNK_SHIFT);
            int inChunk = (int) (pos & CHUNK_MASK);
            int chunkLength = chunkLength(index);
            int n = (int) Math.min(end - pos, chunkLength - inChunk);
            if (n == chunkLength) {
                free(index);
            } else {
                ByteBuf chunk = retained(index);
                if (chunk != null) {
                    try {
                        chunk.setZero(inChunk, n);
                    } finally {
                        chunk.release();
                    }
                }
            }
            pos += n;
        }
    }

    private int chunkLength(int index) {
        return (int) Math.min(CHUNK_SIZE, capacity - ((long) index << CHUNK_SHIFT));
    }

    /** The chunk with an extra reference, or null when it was never written or is being freed. */
    private ByteBuf retained(int index) {
        ByteBuf chunk = chunks.get(index);
        if (chunk == null) {
            return null;
        }
        try {
            chunk.retain();
            return chunk;
        } catch (IllegalReferenceCountException freedMeanwhile) {
            return null;
        }
    }

    /** The chunk with an extra reference, allocating it on first write; null when out of memory budget or closed. */
    private ByteBuf retainedForWrite(int index) {
        while (true) {
            ByteBuf chunk = chunks.get(index);
            if (chunk == null) {
                chunk = allocateChunk(chunkLength(index));
                if (chunk == null) {
                    return null;
                }
                if (!chunks.compareAndSet(index, null, chunk)) {
                    release(chunk);
                    continue;
                }
                // close() may have swept the table before the CAS: whoever removes the chunk frees it
                if (closed && chunks.compareAndSet(index, chunk, null)) {
                    release(chunk);
                    return null;
                }
            }
            try {
                chunk.retain();
                return chunk;
            } catch (IllegalReferenceCountException freedMeanwhile) {
                // deallocated concurrently: allocate a fresh one
            }
        }
    }

    private ByteBuf allocateChunk(int length) {
        if (closed || !budget.tryReserve(length)) {
            return null;
        }
        try {
            ByteBuf chunk = allocator.directBuffer(length, length);
            // fresh native memory is not zeroed and must never expose a previous owner's bytes
            chunk.setZero(0, length);
            return chunk;
        } catch (OutOfMemoryError e) {
            budget.release(length);
            LOG.warn("{}: out of direct memory allocating a {} byte chunk", devicePath, length);
            return null;
        }
    }

    private void free(int index) {
        ByteBuf chunk = chunks.getAndSet(index, null);
        if (chunk != null) {
            release(chunk);
        }
    }

    private void release(ByteBuf chunk) {
        int length = chunk.capacity();
        chunk.release();
        budget.release(length);
    }
}
