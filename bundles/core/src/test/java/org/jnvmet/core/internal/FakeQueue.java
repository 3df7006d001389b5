package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportQueue;

/** A synchronous in-memory transport queue: records every response the core sends. */
final class FakeQueue implements TransportQueue {
    /** What the host would see: CQE fields and the controller-to-host data. */
    record Response(int cid, int status, long result, int sqHead, byte[] data) {
        int code() {
            return status & 0x7FF;
        }
    }

    final LinkedBlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    final int inline;
    volatile boolean closed;
    volatile String localAddress;

    FakeQueue(int inline) {
        this.inline = inline;
    }

    @Override
    public void sendResponse(NvmeRequest request) {
        ByteBuf data = request.data();
        byte[] bytes = null;
        if (data != null) {
            if (request.direction() == NvmeRequest.Direction.CONTROLLER_TO_HOST) {
                bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
            }
            data.release();
            request.setData(null);
        }
        responses.add(new Response(request.cid(), request.status(), request.result(), request.sqHead(), bytes));
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public int inlineDataSize() {
        return inline;
    }

    @Override
    public int maxSglDescriptors() {
        return 1;
    }

    @Override
    public String peerAddress() {
        return "fake:1";
    }

    /** Read by the core for wildcard discovery entries (see TargetEngine#discoveryTraddr). */
    public String localAddress() {
        return localAddress;
    }

    Response poll(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }
}
