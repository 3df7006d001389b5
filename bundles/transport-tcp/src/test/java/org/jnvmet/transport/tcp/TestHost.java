package org.jnvmet.transport.tcp;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.protocol.nvme.Status;

/** The NVMe/TCP host transport plus just enough Fabrics Connect to drive the target in tests. */
final class TestHost implements AutoCloseable {
    /** What the host observed for one command. */
    record Completion(long result, int sqHead, int status) {
        boolean ok() {
            return Status.isSuccess(status);
        }
    }

    final NvmeTcpHostTransport transport;

    TestHost(InetSocketAddress target, NvmeTcpHostOptions options) {
        this.transport = new NvmeTcpHostTransport(target, options);
    }

    /** Opens the queue's connection and sends Fabrics Connect. */
    HostQueue connect(int qid, int queueSize, boolean disableSqFlow) throws Exception {
        HostQueue q = transport.openQueue(qid, queueSize);
        ByteBuf data = Sqes.connectData(qid == 0 ? 0xFFFF : 1);
        Completion c = call(q, Sqes.connect(0x7FFF, qid, queueSize, disableSqFlow), data, null);
        data.release();
        if (!c.ok()) {
            q.close();
            throw new IOException("Connect failed: " + Status.toString(c.status()));
        }
        return q;
    }

    static CompletableFuture<Completion> submit(HostQueue q, ByteBuf sqe, ByteBuf out, ByteBuf in) {
        CompletableFuture<Completion> f = new CompletableFuture<>();
        q.submit(sqe, out, in, new HostCompletion() {
            @Override
            public void completed(long result, int sqHead, int status) {
                f.complete(new Completion(result, sqHead, status));
            }

            @Override
            public void failed(Throwable cause) {
                f.completeExceptionally(cause);
            }
        });
        return f;
    }

    static Completion call(HostQueue q, ByteBuf sqe, ByteBuf out, ByteBuf in) throws Exception {
        return submit(q, sqe, out, in).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        transport.close();
    }
}
