package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.testing.StubTransportQueue;

/** A transport queue that builds requests and records their completions (status, thread, how many times). */
final class FakeTransportQueue extends StubTransportQueue {
    private final AtomicInteger slots = new AtomicInteger();
    private final Map<NvmeRequest, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger unknown = new AtomicInteger();

    FakeTransportQueue() {
        super("fake");
    }

    /** A request carrying {@code data} (owned by the test, which releases it). */
    Pending request(ByteBuf data) {
        NvmeRequest req = new NvmeRequest(this, slots.getAndIncrement());
        req.reset(null);
        req.setData(data);
        Pending p = new Pending(req);
        pending.put(req, p);
        return p;
    }

    @Override
    public void sendResponse(NvmeRequest request) {
        Pending p = pending.get(request);
        if (p == null) {
            unknown.incrementAndGet();
        } else {
            p.completed(request.status(), Thread.currentThread().getName());
        }
    }

    int unknownCompletions() {
        return unknown.get();
    }

    static final class Pending {
        final NvmeRequest request;
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicInteger completions = new AtomicInteger();
        private volatile int status = -1;
        private volatile String thread;

        Pending(NvmeRequest request) {
            this.request = request;
        }

        void completed(int status, String thread) {
            if (completions.incrementAndGet() == 1) {
                this.status = status;
                this.thread = thread;
                done.countDown();
            }
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        /** Waits for the completion and returns its status; fails on timeout or a second completion. */
        int await() {
            try {
                assertTrue(done.await(20, TimeUnit.SECONDS), "request did not complete");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(1, completions.get(), "request completed more than once");
            return status;
        }

        String thread() {
            return thread;
        }
    }
}
