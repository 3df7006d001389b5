package org.jnvmet.spi.transport;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * One command in flight: the role of the Linux target's {@code struct nvmet_req}. A transport owns a pool of these
 * per queue (one per SQ slot, so nothing is allocated per command), fills {@link #sqe()} from the received capsule,
 * and hands it to {@link QueueSession#init}. The core validates it, decides the data transfer, and the transport
 * then supplies {@link #data()} (received write data, or a buffer to read into) and calls
 * {@link QueueSession#execute}. Whoever finishes the command calls {@link #complete(int)}; the core post-processes
 * (accounting, SQ head) and calls {@link TransportQueue#sendResponse}.
 *
 * <p>Not thread-safe: at any moment one party (transport, core or backend) owns the request.
 */
public final class NvmeRequest {
    /** Data direction of a command. */
    public enum Direction { NONE, HOST_TO_CONTROLLER, CONTROLLER_TO_HOST }

    private final TransportQueue queue;
    private final int slot;
    private ByteBuf sqe;
    private ByteBuf data;
    private int transferLength;
    private Direction direction = Direction.NONE;
    private long result;
    private int status;
    private int sqHead;
    private RequestCompleter completer;
    private Object coreContext;
    private long startNanos;
    private Object transportContext;

    public NvmeRequest(TransportQueue queue, int slot) {
        this.queue = queue;
        this.slot = slot;
    }

    /** Clears per-command state before the slot is reused for a new capsule. Does not release buffers. */
    public void reset(ByteBuf sqe) {
        this.sqe = sqe;
        this.data = null;
        this.transferLength = 0;
        this.direction = Direction.NONE;
        this.result = 0;
        this.status = 0;
        this.sqHead = 0;
        this.completer = null;
        this.coreContext = null;
        this.startNanos = 0;
    }

    public TransportQueue queue() {
        return queue;
    }

    /** The transport's slot index of this request (NVMe/TCP uses it as the transfer tag). */
    public int slot() {
        return slot;
    }

    /** The 64-byte submission queue entry; index 0 is its first byte. */
    public ByteBuf sqe() {
        return sqe;
    }

    public int opcode() {
        return SubmissionQueueEntry.opcode(sqe);
    }

    public int cid() {
        return SubmissionQueueEntry.cid(sqe);
    }

    public int nsid() {
        return SubmissionQueueEntry.nsid(sqe);
    }

    public int cdw(int n) {
        return SubmissionQueueEntry.cdw(sqe, n);
    }

    /** Write data received from the host, or the buffer to fill for the host; null when no data moves. */
    public ByteBuf data() {
        return data;
    }

    public void setData(ByteBuf data) {
        this.data = data;
    }

    /** Bytes the command transfers, as set by the core in {@link QueueSession#init}. */
    public int transferLength() {
        return transferLength;
    }

    public Direction direction() {
        return direction;
    }

    public void setTransfer(Direction direction, int length) {
        this.direction = direction;
        this.transferLength = length;
    }

    /** Command specific result (CQE DW0, and DW1 for 8-byte property reads). */
    public long result() {
        return result;
    }

    public void setResult(long result) {
        this.result = result;
    }

    /** The 15-bit CQE status field (org.jnvmet.protocol.nvme.Status). */
    public int status() {
        return status;
    }

    public int sqHead() {
        return sqHead;
    }

    public void setSqHead(int sqHead) {
        this.sqHead = sqHead;
    }

    public long startNanos() {
        return startNanos;
    }

    public void setStartNanos(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Set by the core during init; receives {@link #complete(int)}. */
    public void setCompleter(RequestCompleter completer) {
        this.completer = completer;
    }

    /** Core-private per-command state (e.g. the namespace the command targets). */
    public Object coreContext() {
        return coreContext;
    }

    public void setCoreContext(Object coreContext) {
        this.coreContext = coreContext;
    }

    /** Transport-private state that survives {@link #reset}; e.g. a reusable PDU header buffer. */
    public Object transportContext() {
        return transportContext;
    }

    public void setTransportContext(Object transportContext) {
        this.transportContext = transportContext;
    }

    /** Finishes the command with a status; may be called from any thread. */
    public void complete(int status) {
        this.status = status;
        RequestCompleter c = completer;
        if (c != null) {
            c.completed(this);
        } else {
            queue.sendResponse(this);
        }
    }

    public void complete(int status, long result) {
        this.result = result;
        complete(status);
    }
}
