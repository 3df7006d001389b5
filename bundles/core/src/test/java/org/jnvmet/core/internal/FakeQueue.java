package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.testing.StubTransportQueue;

/** A synchronous in-memory transport queue: records every response the core sends. */
final class FakeQueue extends StubTransportQueue {
    /** What the host would see: CQE fields and the controller-to-host data. */
    record Response(int cid, int status, long result, int sqHead, byte[] data) {
        int code() {
            return status & 0x7FF;
        }
    }

    final LinkedBlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    volatile boolean closed;
    volatile String localAddress;

    FakeQueue(int inline) {
        super(inline, "fake:1");
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

    /** Read by the core for wildcard discovery entries (see TargetEngine#discoveryTraddr). */
    @Override
    public String localAddress() {
        return localAddress;
    }

    Response poll(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }
}
