package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Random;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BlockBackend;

/** Synchronous helpers issuing commands through a {@link FakeTransportQueue} and checking what a host would see. */
final class Io {
    /** Kinds of data buffer a transport might hand over. */
    enum Buffer { POOLED_DIRECT, HEAP, COMPOSITE, ALIGNED_DIRECT }

    final FakeTransportQueue queue = new FakeTransportQueue();
    final BlockBackend backend;

    Io(BlockBackend backend) {
        this.backend = backend;
    }

    static byte[] random(Random rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    int write(long offset, byte[] bytes) {
        return write(offset, bytes, false, Buffer.POOLED_DIRECT);
    }

    int write(long offset, byte[] bytes, boolean fua, Buffer kind) {
        ByteBuf data = allocate(kind, bytes.length);
        try {
            data.writeBytes(bytes);
            FakeTransportQueue.Pending p = queue.request(data);
            backend.write(p.request, offset, bytes.length, fua);
            return p.await();
        } finally {
            data.release();
        }
    }

    byte[] read(long offset, int length) {
        return read(offset, length, Buffer.POOLED_DIRECT);
    }

    /** Reads and expects success; checks the writer index moved by exactly {@code length}. */
    byte[] read(long offset, int length, Buffer kind) {
        ByteBuf data = allocate(kind, length);
        try {
            data.setBytes(0, new byte[data.capacity()]);
            FakeTransportQueue.Pending p = queue.request(data);
            backend.read(p.request, offset, length);
            int status = p.await();
            assertEquals(Status.SUCCESS, status, () -> "read status " + Status.toString(status));
            assertEquals(length, data.readableBytes(), "writer index after read");
            return ByteBufUtil.getBytes(data);
        } finally {
            data.release();
        }
    }

    /** Status of a read, leaving the buffer check to the caller via {@code out} (writer index before/after). */
    int readStatus(long offset, int length, int[] writerIndexAfter) {
        ByteBuf data = allocate(Buffer.POOLED_DIRECT, Math.max(0, Math.min(length, 1 << 20)));
        try {
            FakeTransportQueue.Pending p = queue.request(data);
            backend.read(p.request, offset, length);
            int status = p.await();
            writerIndexAfter[0] = data.writerIndex();
            return status;
        } finally {
            data.release();
        }
    }

    int flush() {
        FakeTransportQueue.Pending p = queue.request(null);
        backend.flush(p.request);
        return p.await();
    }

    int writeZeroes(long offset, long length) {
        FakeTransportQueue.Pending p = queue.request(null);
        backend.writeZeroes(p.request, offset, length);
        return p.await();
    }

    int deallocate(long... pairs) {
        FakeTransportQueue.Pending p = queue.request(null);
        backend.deallocate(p.request, pairs, pairs.length / 2);
        return p.await();
    }

    static ByteBuf allocate(Buffer kind, int length) {
        switch (kind) {
            case HEAP:
                return Unpooled.buffer(length, length);
            case COMPOSITE: {
                CompositeByteBuf c = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
                int first = length / 3;
                int second = length / 3;
                c.addComponent(false, PooledByteBufAllocator.DEFAULT.directBuffer(first, first));
                c.addComponent(false, PooledByteBufAllocator.DEFAULT.directBuffer(second, second));
                c.addComponent(false, PooledByteBufAllocator.DEFAULT.directBuffer(length - first - second));
                return c;
            }
            case ALIGNED_DIRECT: {
                ByteBuffer aligned = ByteBuffer.allocateDirect(length + 8192).alignedSlice(4096);
                aligned.limit(length);
                return Unpooled.wrappedBuffer(aligned.slice()).clear();
            }
            default:
                return PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
        }
    }
}
