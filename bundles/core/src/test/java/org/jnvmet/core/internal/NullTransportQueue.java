package org.jnvmet.core.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportQueue;

/** Discards responses without touching the request's buffers (the caller owns them). */
class NullTransportQueue implements TransportQueue {
    @Override
    public void sendResponse(NvmeRequest request) {
    }

    @Override
    public void close() {
    }

    @Override
    public ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public int inlineDataSize() {
        return 0;
    }

    @Override
    public int maxSglDescriptors() {
        return 1;
    }

    @Override
    public String peerAddress() {
        return "null";
    }
}
