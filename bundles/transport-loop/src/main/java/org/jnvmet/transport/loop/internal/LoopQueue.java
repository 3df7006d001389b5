package org.jnvmet.transport.loop.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TransportQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loopback queue: the host's {@link HostQueue} and the target's {@link TransportQueue} in one object, the way
 * nvme-loop joins a host request to an {@code nvmet_req}. A submit runs the target's {@code init} and
 * {@code execute} on the submitting thread, serialized per queue (as a TCP connection's event loop would), with the
 * host's buffers shared as retained slices. Completions reach the host callback on whatever thread the target
 * completes on; see {@link CompletionTrampoline} for completions produced inside a submit.
 */
public final class LoopQueue implements HostQueue, TransportQueue {
    private static final Logger LOG = LoggerFactory.getLogger(LoopQueue.class);

    private final String peer;
    private final LoopSlot[] slots;
    private final ArrayBlockingQueue<LoopSlot> free;
    private final Consumer<LoopQueue> onClose;
    /** Serializes the target's view of the queue (init/execute/disconnected), like a connection's I/O thread. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean disconnectPending;
    private volatile boolean disconnectDone;
    private QueueSession session;

    LoopQueue(String peer, int queueSize, Consumer<LoopQueue> onClose) {
        this.peer = peer;
        this.onClose = onClose;
        this.slots = new LoopSlot[queueSize];
        this.free = new ArrayBlockingQueue<>(queueSize);
        for (int i = 0; i < queueSize; i++) {
            slots[i] = new LoopSlot(this, i);
            free.add(slots[i]);
        }
    }

    void attach(QueueSession queueSession) {
        lock.lock();
        try {
            this.session = queueSession;
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- host side

    @Override
    public void submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn, HostCompletion callback) {
        if (sqe.readableBytes() < SubmissionQueueEntry.SIZE) {
            callback.failed(new IllegalArgumentException("an SQE is 64 bytes, got " + sqe.readableBytes()));
            return;
        }
        if (closed.get()) {
            callback.failed(closedException());
            return;
        }
        LoopSlot slot = free.poll();
        if (slot == null) {
            callback.failed(new IllegalStateException("queue " + peer + " full: " + slots.length
                    + " commands in flight"));
            return;
        }
        slot.prepare(sqe, dataOut, dataIn, callback);
        if (closed.get()) {
            // close() raced with this submit; the target never saw the command. The slot stays out of the pool.
            HostCompletion cb = slot.claim();
            if (cb != null) {
                cb.failed(closedException());
            }
            return;
        }
        CompletionTrampoline trampoline = CompletionTrampoline.enter();
        try {
            lock.lock();
            try {
                dispatch(slot);
            } finally {
                unlock();
            }
        } finally {
            trampoline.exit();
        }
    }

    private void dispatch(LoopSlot slot) {
        NvmeRequest request = slot.request;
        try {
            if (!session.init(request)) {
                return; // the core completed it with an error status
            }
            int length = request.transferLength();
            switch (request.direction()) {
                case HOST_TO_CONTROLLER -> {
                    ByteBuf out = slot.dataOut;
                    if (out == null || out.readableBytes() < length) {
                        // the SGL promised more than the host supplied (only possible with a host-built DPTR)
                        request.complete(Status.SGL_INVALID_DATA | Status.DNR);
                        return;
                    }
                    slot.hostView = out.retainedSlice(out.readerIndex(), length);
                    request.setData(slot.hostView);
                }
                case CONTROLLER_TO_HOST -> {
                    ByteBuf in = slot.dataIn;
                    if (in == null || in.writableBytes() < length) {
                        request.complete(Status.SGL_INVALID_DATA | Status.DNR);
                        return;
                    }
                    // an empty window onto the host buffer: the target writes at its writer index
                    slot.hostView = in.retainedSlice(in.writerIndex(), length).clear();
                    request.setData(slot.hostView);
                }
                default -> {
                }
            }
            session.execute(request);
        } catch (RuntimeException e) {
            // A target bug: the request's fate is unknown, so the slot is not reused; the host hears of it.
            LOG.error("target failed a command on {}", peer, e);
            HostCompletion cb = slot.claim();
            if (cb != null) {
                CompletionTrampoline.deliver(() -> cb.failed(e));
            }
        }
    }

    @Override
    public int maxInlineData() {
        return 0;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    // ---------------------------------------------------------------- target side

    @Override
    public void sendResponse(NvmeRequest request) {
        LoopSlot slot = slots[request.slot()];
        if (!slot.returnFromTarget()) {
            LOG.error("{}: a second response for slot {} (cid {}) ignored", peer, request.slot(), request.cid());
            return;
        }
        HostCompletion cb = slot.claim();
        ByteBuf data = request.data();
        if (cb != null && data != null && request.direction() == NvmeRequest.Direction.CONTROLLER_TO_HOST
                && slot.dataIn != null) {
            ByteBuf in = slot.dataIn;
            if (data == slot.hostView) {
                in.writerIndex(in.writerIndex() + data.writerIndex()); // written in place: no copy
            } else {
                // the core answered from a buffer of its own
                in.writeBytes(data, data.readerIndex(), Math.min(data.readableBytes(), in.writableBytes()));
            }
        }
        if (data != null && data != slot.hostView) {
            data.release();
        }
        if (slot.hostView != null) {
            slot.hostView.release();
            slot.hostView = null;
        }
        request.setData(null);
        slot.complete(cb, request.result(), request.sqHead(), request.status());
        CompletionTrampoline.deliver(slot);
    }

    void recycle(LoopSlot slot) {
        free.offer(slot);
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
        return peer;
    }

    // ---------------------------------------------------------------- both sides

    /**
     * Closes the queue, from either side: outstanding commands fail towards the host at once, and the target is
     * told the connection went away (on this thread if the queue is idle, else by the thread inside submit).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IOException cause = closedException();
        for (LoopSlot slot : slots) {
            HostCompletion cb = slot.claim();
            if (cb != null) {
                // The core may close a queue while holding its own locks (controller deletion): host code must not
                // run inside that, so failures are told from another thread, as a TCP connection's loop would.
                ForkJoinPool.commonPool().execute(() -> cb.failed(cause));
            }
        }
        onClose.accept(this);
        disconnectPending = true;
        if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
            unlock();
        }
    }

    /** Unlocks, first telling the core of a pending disconnect when this is the outermost hold. */
    private void unlock() {
        for (;;) {
            if (lock.getHoldCount() == 1) {
                runPendingDisconnect();
            }
            lock.unlock();
            if (!disconnectPending || disconnectDone || lock.isHeldByCurrentThread() || !lock.tryLock()) {
                return;
            }
        }
    }

    private void runPendingDisconnect() {
        if (disconnectPending && !disconnectDone && session != null) {
            disconnectDone = true;
            try {
                session.disconnected();
            } catch (RuntimeException e) {
                LOG.warn("core failed to handle the disconnect of {}", peer, e);
            }
        }
    }

    private IOException closedException() {
        return new IOException("loop queue " + peer + " is closed");
    }

    @Override
    public String toString() {
        return peer;
    }
}
