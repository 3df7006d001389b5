package org.jnvmet.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A private pooled allocator that records the largest single buffer anyone asked it for, so tests can assert that
 * no length field from the network turned into an allocation; its pool metrics show what is still held.
 */
final class CountingAllocator implements ByteBufAllocator {
    final PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
    private final LongAccumulator largest = new LongAccumulator(Math::max, 0);
    private final AtomicLong allocations = new AtomicLong();

    long largestRequest() {
        return largest.get();
    }

    long allocations() {
        return allocations.get();
    }

    long usedDirectMemory() {
        return pool.metric().usedDirectMemory();
    }

    private void record(int capacity) {
        allocations.incrementAndGet();
        largest.accumulate(capacity);
    }

    @Override public ByteBuf buffer() { record(256); return pool.buffer(); }
    @Override public ByteBuf buffer(int c) { record(c); return pool.buffer(c); }
    @Override public ByteBuf buffer(int c, int m) { record(c); return pool.buffer(c, m); }
    @Override public ByteBuf ioBuffer() { record(256); return pool.ioBuffer(); }
    @Override public ByteBuf ioBuffer(int c) { record(c); return pool.ioBuffer(c); }
    @Override public ByteBuf ioBuffer(int c, int m) { record(c); return pool.ioBuffer(c, m); }
    @Override public ByteBuf heapBuffer() { record(256); return pool.heapBuffer(); }
    @Override public ByteBuf heapBuffer(int c) { record(c); return pool.heapBuffer(c); }
    @Override public ByteBuf heapBuffer(int c, int m) { record(c); return pool.heapBuffer(c, m); }
    @Override public ByteBuf directBuffer() { record(256); return pool.directBuffer(); }
    @Override public ByteBuf directBuffer(int c) { record(c); return pool.directBuffer(c); }
    @Override public ByteBuf directBuffer(int c, int m) { record(c); return pool.directBuffer(c, m); }
    @Override public CompositeByteBuf compositeBuffer() { return pool.compositeBuffer(); }
    @Override public CompositeByteBuf compositeBuffer(int n) { return pool.compositeBuffer(n); }
    @Override public CompositeByteBuf compositeHeapBuffer() { return pool.compositeHeapBuffer(); }
    @Override public CompositeByteBuf compositeHeapBuffer(int n) { return pool.compositeHeapBuffer(n); }
    @Override public CompositeByteBuf compositeDirectBuffer() { return pool.compositeDirectBuffer(); }
    @Override public CompositeByteBuf compositeDirectBuffer(int n) { return pool.compositeDirectBuffer(n); }
    @Override public boolean isDirectBufferPooled() { return true; }
    @Override public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        record(minNewCapacity);
        return pool.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
