package org.jnvmet.transport.tcp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * One command slot of a connection (the role of Linux's {@code struct nvmet_tcp_cmd}): the pooled
 * {@link NvmeRequest}, its SQE copy, and the R2T/H2CData reassembly state. Its index is the R2T transfer tag.
 * As a {@link Runnable} it is the event-loop task that sends its response, so a completion from another thread
 * allocates nothing.
 */
final class TcpCommand implements Runnable {
    enum State { FREE, ACTIVE, AWAIT_H2C_DATA, DEFERRED }

    final TcpQueue queue;
    final NvmeRequest request;
    /** Heap copy of the SQE: received PDU headers are reused, the request outlives them. */
    final ByteBuf sqe = Unpooled.wrappedBuffer(new byte[SubmissionQueueEntry.SIZE]);

    State state = State.FREE;
    /** Bytes requested by the R2T (the whole transfer) and received so far in H2CData PDUs. */
    int r2tLength;
    int received;
    /** Received write data: one slice, or a composite once a second H2CData arrives. */
    ByteBuf h2cData;
    boolean dataDigestError;
    /** Data budget this command holds (see TcpQueue#DATA_BUDGET). */
    int budgeted;
    /** Next command waiting for data budget. */
    TcpCommand nextDeferred;

    TcpCommand(TcpQueue queue, int slot) {
        this.queue = queue;
        this.request = new NvmeRequest(queue, slot);
        this.request.setTransportContext(this);
    }

    int slot() {
        return request.slot();
    }

    @Override
    public void run() {
        queue.writeResponse(this);
    }

    void releaseH2CData() {
        if (h2cData != null) {
            h2cData.release();
            h2cData = null;
        }
    }
}
