package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/** One command inside the emulated controller: its SQE, data buffer and the result it completes with. */
final class Command {
    final boolean admin;
    final ByteBuf sqe;
    final ByteBuf data;
    final int length;
    long result;

    Command(boolean admin, ByteBuf sqe, ByteBuf data, int length) {
        this.admin = admin;
        this.sqe = sqe;
        this.data = data;
        this.length = length;
    }

    int opcode() {
        return SubmissionQueueEntry.opcode(sqe);
    }

    int nsid() {
        return SubmissionQueueEntry.nsid(sqe);
    }

    int cdw(int n) {
        return SubmissionQueueEntry.cdw(sqe, n);
    }

    /** Index of the first byte of host data (host-to-controller commands). */
    int inIndex() {
        return data.readerIndex();
    }

    /** Index where controller-to-host data goes; the controller advances the writer index on success. */
    int outIndex() {
        return data.writerIndex();
    }

    /** Returns {@code src}'s readable bytes as the command's data: truncated to the length, zero-filled beyond. */
    void out(ByteBuf src) {
        if (length == 0) {
            return;
        }
        int n = Math.min(length, src.readableBytes());
        data.setBytes(outIndex(), src, src.readerIndex(), n);
        data.setZero(outIndex() + n, length - n);
    }

    void out(byte[] src) {
        if (length == 0) {
            return;
        }
        int n = Math.min(length, src.length);
        data.setBytes(outIndex(), src, 0, n);
        data.setZero(outIndex() + n, length - n);
    }

    /** A copy of the host data. */
    byte[] in() {
        byte[] b = new byte[length];
        if (length > 0) {
            data.getBytes(inIndex(), b);
        }
        return b;
    }
}
