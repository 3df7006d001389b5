package org.jnvmet.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportQueue;

/**
 * A transport queue with fixed answers (pooled allocator, one SGL descriptor) that drops every response without
 * touching the request's buffers: the caller owns them. Tests subclass it to record the responses they check.
 */
public class StubTransportQueue implements TransportQueue {
    private final int inlineDataSize;
    private final String peerAddress;

    /** No in-capsule data. */
    public StubTransportQueue(String peerAddress) {
        this(0, peerAddress);
    }

    public StubTransportQueue(int inlineDataSize, String peerAddress) {
        this.inlineDataSize = inlineDataSize;
        this.peerAddress = peerAddress;
    }

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
        return inlineDataSize;
    }

    @Override
    public int maxSglDescriptors() {
        return 1;
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }
}
