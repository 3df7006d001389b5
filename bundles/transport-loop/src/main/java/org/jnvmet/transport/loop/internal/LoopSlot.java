package org.jnvmet.transport.loop.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * One submission queue slot of a loop queue: the pooled target request, its SQE copy and the host side of the
 * command. States: FREE (in the pool), SUBMITTED (the target owns the request), DONE (the host has been or is being
 * told; the target may still hold the request until it responds).
 */
final class LoopSlot {
    private static final int FREE = 0;
    private static final int SUBMITTED = 1;
    private static final int DONE = 2;

    final LoopQueue queue;
    final NvmeRequest request;
    /** The SQE as the target sees it; a copy, so the host may reuse its own at once. */
    private final ByteBuf sqe = Unpooled.wrappedBuffer(new byte[SubmissionQueueEntry.SIZE]);

    private int state = FREE;
    /** Between {@link #prepare} and the target's response: the target may hold the request. */
    private boolean targetOwned;
    private HostCompletion callback;
    ByteBuf dataOut;
    ByteBuf dataIn;
    /** The retained slice of the host's buffer handed to the target as {@link NvmeRequest#data()}. */
    ByteBuf hostView;

    // the completion as captured for (possibly deferred) delivery
    private HostCompletion pending;
    private long result;
    private int sqHead;
    private int status;
    LoopSlot nextDeferred;

    LoopSlot(LoopQueue queue, int index) {
        this.queue = queue;
        this.request = new NvmeRequest(queue, index);
    }

    /**
     * Takes a command from the host. The transport owns DPTR: when the host left it zeroed, it becomes a Transport
     * SGL Data Block covering the host's buffer (the loop binding has no in-capsule data). A DPTR the host did fill
     * in is passed on untouched so malformed descriptors reach the target as sent.
     */
    void prepare(ByteBuf hostSqe, ByteBuf out, ByteBuf in, HostCompletion cb) {
        sqe.setBytes(0, hostSqe, hostSqe.readerIndex(), SubmissionQueueEntry.SIZE);
        if (dptrIsZero()) {
            int length = out != null ? out.readableBytes() : in != null ? in.writableBytes() : 0;
            if (length > 0) {
                SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, length);
            }
        }
        dataOut = out;
        dataIn = in;
        request.reset(sqe);
        synchronized (this) {
            callback = cb;
            state = SUBMITTED;
            targetOwned = true;
        }
    }

    /** The target gives the request back; false if it did so already (a second response for one command). */
    synchronized boolean returnFromTarget() {
        if (!targetOwned) {
            return false;
        }
        targetOwned = false;
        return true;
    }

    private boolean dptrIsZero() {
        return sqe.getLongLE(SubmissionQueueEntry.DPTR) == 0 && sqe.getLongLE(SubmissionQueueEntry.DPTR + 8) == 0;
    }

    /** Moves SUBMITTED to DONE; returns the callback to tell, or null if someone else already told the host. */
    synchronized HostCompletion claim() {
        if (state != SUBMITTED) {
            return null;
        }
        state = DONE;
        return callback;
    }

    /** Records the completion for {@link #deliver}; {@code cb} null when the host must not hear of it. */
    void complete(HostCompletion cb, long result, int sqHead, int status) {
        this.pending = cb;
        this.result = result;
        this.sqHead = sqHead;
        this.status = status;
    }

    /** Returns the slot to the pool, then runs the host callback: the host may reuse the slot from it. */
    void deliver() {
        HostCompletion cb = pending;
        long r = result;
        int head = sqHead;
        int st = status;
        pending = null;
        dataOut = null;
        dataIn = null;
        synchronized (this) {
            callback = null;
            state = FREE;
        }
        queue.recycle(this);
        if (cb != null) {
            cb.completed(r, head, st);
        }
    }
}
