package org.jnvmet.host.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import org.jnvmet.host.Completion;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * The host's state for one command identifier of a queue: the transport reports the completion of the command
 * that carries this CID to this object, so completions are matched by CID. Its SQE buffer is reused for every
 * command with this CID.
 */
final class CommandSlot implements HostCompletion {
    final QueueChannel channel;
    final int cid;
    final ByteBuf sqe = Unpooled.wrappedBuffer(new byte[SubmissionQueueEntry.SIZE]);

    private CompletableFuture<Completion> future;
    /** Fail the future with {@link NvmeStatusException} on an error status. */
    private boolean checked;
    private int opcode;
    /** A caller buffer whose writer index moves by {@code advanceBy} on success (reads into a slice of it). */
    private ByteBuf advance;
    private int advanceBy;

    CommandSlot(QueueChannel channel, int cid) {
        this.channel = channel;
        this.cid = cid;
    }

    synchronized void arm(CompletableFuture<Completion> f, boolean checkStatus, ByteBuf advanceTarget, int bytes) {
        this.future = f;
        this.checked = checkStatus;
        this.opcode = SubmissionQueueEntry.opcode(sqe);
        this.advance = advanceTarget;
        this.advanceBy = bytes;
    }

    @Override
    public void completed(long result, int sqHead, int status) {
        CompletableFuture<Completion> f;
        boolean check;
        int op;
        ByteBuf adv;
        int by;
        synchronized (this) {
            f = future;
            if (f == null) {
                return; // a transport reporting twice; the first report won
            }
            check = checked;
            op = opcode;
            adv = advance;
            by = advanceBy;
            clear();
        }
        channel.release(this);
        if (check && !Status.isSuccess(status)) {
            f.completeExceptionally(new NvmeStatusException(describe(op), status, result));
            return;
        }
        if (adv != null && Status.isSuccess(status)) {
            adv.writerIndex(adv.writerIndex() + by);
        }
        f.complete(new Completion(result, sqHead, status));
    }

    @Override
    public void failed(Throwable cause) {
        CompletableFuture<Completion> f;
        synchronized (this) {
            f = future;
            if (f == null) {
                return;
            }
            clear();
        }
        channel.release(this);
        f.completeExceptionally(cause);
    }

    private void clear() {
        future = null;
        advance = null;
    }

    private String describe(int op) {
        return String.format("opcode 0x%02x (cid %d) on qid %d", op, cid, channel.qid());
    }
}
