package org.jnvmet.host.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnvmet.host.CommandQueue;
import org.jnvmet.host.Completion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * One queue over one transport channel: allocates command identifiers, bounds the commands in flight to the queue
 * size, and turns transport callbacks into futures. A queue of N entries holds at most N-1 commands (NVMe Base
 * 2.0, 3.3.1.5 "Full Queue"), so that is the bound.
 */
public class QueueChannel implements CommandQueue {
    private final HostQueue queue;
    private final int qid;
    private final int depth;
    private final long timeoutNanos;
    private final Semaphore credits;
    private final CommandSlot[] slots;
    private final int[] freeCids;
    private int freeTop;

    public QueueChannel(HostQueue queue, int qid, int queueSize, Duration timeout) {
        if (queueSize < 2) {
            throw new IllegalArgumentException("queue size " + queueSize + " < 2");
        }
        this.queue = queue;
        this.qid = qid;
        this.depth = queueSize - 1;
        this.timeoutNanos = timeout.toNanos();
        this.credits = new Semaphore(depth);
        this.slots = new CommandSlot[depth];
        this.freeCids = new int[depth];
        for (int cid = 0; cid < depth; cid++) {
            slots[cid] = new CommandSlot(this, cid);
            freeCids[cid] = depth - 1 - cid;
        }
        this.freeTop = depth;
    }

    @Override
    public int qid() {
        return qid;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public int inFlight() {
        return depth - credits.availablePermits();
    }

    @Override
    public boolean isOpen() {
        return queue.isOpen();
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public CompletableFuture<Completion> submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn) {
        if (sqe.readableBytes() < SubmissionQueueEntry.SIZE) {
            throw new IllegalArgumentException("an SQE is 64 bytes, got " + sqe.readableBytes());
        }
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        slot.sqe.setBytes(0, sqe, sqe.readerIndex(), SubmissionQueueEntry.SIZE);
        return dispatch(slot, dataOut, dataIn, false, null, 0);
    }

    @Override
    public Completion execute(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn) throws IOException {
        return await(submit(sqe, dataOut, dataIn));
    }

    /**
     * Takes a free command identifier, waiting while the queue is full. Returns null (with {@code onFailure}
     * completed) if the channel is closed or the wait is interrupted.
     */
    final CommandSlot acquire(CompletableFuture<Completion> onFailure) {
        if (!queue.isOpen()) {
            onFailure.completeExceptionally(new IOException("queue " + qid + " is closed"));
            return null;
        }
        try {
            credits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onFailure.completeExceptionally(new InterruptedIOException("interrupted waiting for a free CID"));
            return null;
        }
        return take();
    }

    /** Like {@link #acquire} but never waits: null when the queue is full or closed. */
    final CommandSlot tryAcquire() {
        if (!queue.isOpen() || !credits.tryAcquire()) {
            return null;
        }
        return take();
    }

    private CommandSlot take() {
        int cid;
        synchronized (freeCids) {
            cid = freeCids[--freeTop];
        }
        return slots[cid];
    }

    /** Stamps the slot's CID into its SQE and hands the command to the transport. */
    final CompletableFuture<Completion> dispatch(CommandSlot slot, ByteBuf dataOut, ByteBuf dataIn,
            boolean checkStatus, ByteBuf advance, int advanceBy) {
        SubmissionQueueEntry.setCid(slot.sqe, slot.cid);
        CompletableFuture<Completion> future = new CompletableFuture<>();
        slot.arm(future, checkStatus, advance, advanceBy);
        queue.submit(slot.sqe, dataOut, dataIn, slot);
        return future;
    }

    void release(CommandSlot slot) {
        synchronized (freeCids) {
            freeCids[freeTop++] = slot.cid;
        }
        credits.release();
    }

    @Override
    public Completion await(CompletableFuture<Completion> future) throws IOException {
        return awaitResult(future, timeoutNanos);
    }

    /** Waits for a future, rethrowing its failure as the IOException it is (or wrapping it in one). */
    static <T> T awaitResult(CompletableFuture<T> future, long timeoutNanos) throws IOException {
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a completion");
        } catch (TimeoutException e) {
            throw new IOException("no completion within " + Duration.ofNanos(timeoutNanos));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "queue " + qid + " (" + queue + ")";
    }
}
