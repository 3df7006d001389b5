package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.transport.NvmeRequest;

/** A tiny synchronous RAM namespace for unit tests ("ram:&lt;bytes&gt;"). */
final class TestRamBackend implements BlockBackend {
    byte[] bytes;
    final int shift;
    volatile boolean closed;
    final AtomicInteger flushes = new AtomicInteger();
    long[] lastDeallocate;

    TestRamBackend(int size, int shift) {
        this.bytes = new byte[size];
        this.shift = shift;
    }

    @Override
    public long capacity() {
        return bytes.length;
    }

    @Override
    public int blockSizeShift() {
        return shift;
    }

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
        req.data().writeBytes(bytes, (int) offset, length);
        req.complete(Status.SUCCESS);
    }

    @Override
    public void write(NvmeRequest req, long offset, int length, boolean fua) {
        ByteBuf d = req.data();
        d.getBytes(d.readerIndex(), bytes, (int) offset, length);
        req.complete(Status.SUCCESS);
    }

    @Override
    public void flush(NvmeRequest req) {
        flushes.incrementAndGet();
        req.complete(Status.SUCCESS);
    }

    @Override
    public void writeZeroes(NvmeRequest req, long offset, long length) {
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        req.complete(Status.SUCCESS);
    }

    @Override
    public void deallocate(NvmeRequest req, long[] ranges, int count) {
        lastDeallocate = Arrays.copyOf(ranges, count * 2);
        for (int i = 0; i < count; i++) {
            Arrays.fill(bytes, (int) ranges[2 * i], (int) (ranges[2 * i] + ranges[2 * i + 1]), (byte) 0);
        }
        req.complete(Status.SUCCESS);
    }

    @Override
    public long revalidate() {
        return bytes.length;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Opens "ram:&lt;bytes&gt;" paths; remembers the last backend it opened. */
    static class Factory implements BlockBackendFactory {
        volatile TestRamBackend last;

        @Override
        public String kind() {
            return "ram";
        }

        @Override
        public boolean accepts(BackendSpec spec) {
            return spec.devicePath().startsWith("ram:");
        }

        @Override
        public BlockBackend open(BackendSpec spec) {
            int size = Integer.parseInt(spec.devicePath().substring(4));
            int shift = spec.blockSize() == 0 ? 9 : Integer.numberOfTrailingZeros(spec.blockSize());
            last = new TestRamBackend(size, shift);
            return last;
        }
    }
}
