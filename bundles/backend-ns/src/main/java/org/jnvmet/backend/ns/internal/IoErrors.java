package org.jnvmet.backend.ns.internal;

import java.io.EOFException;
import java.nio.channels.ClosedChannelException;
import org.jnvmet.protocol.nvme.Status;

/**
 * NVMe statuses for backend failures, chosen the way the Linux target does: {@code errno_to_nvme_status()} in
 * drivers/nvme/target/core.c for file I/O errors, and the range checks of io-cmd-file.c.
 *
 * <p>Java reports errno only as the {@code strerror} text of the {@link java.io.IOException}, so the mapping
 * matches glibc's English messages; anything unrecognised (including EIO) becomes Internal Error with DNR, which is
 * also the kernel's default.
 */
final class IoErrors {
    /** Path Related Status 00h, Internal Path Error: what Linux returns for a namespace that is being disabled. */
    static final int INTERNAL_PATH_ERROR = Status.SCT_PATH;
    /** EIO and anything unrecognised; also a short read or write (the kernel's {@code ret != transfer_len}). */
    static final int INTERNAL_DNR = Status.INTERNAL | Status.DNR;
    /** ENOSPC; also an I/O beyond the end of the namespace (io-cmd-file.c checks {@code pos + len > size}). */
    static final int CAPACITY_EXCEEDED = Status.CAP_EXCEEDED | Status.DNR;
    /** The data buffer does not match the transfer length (the kernel's nvmet_check_transfer_len()). */
    static final int BAD_DATA_LENGTH = Status.SGL_INVALID_DATA | Status.DNR;
    /** The worker queue is full: the host may retry (no DNR). */
    static final int BUSY = Status.CMD_INTERRUPTED;

    private IoErrors() {
    }

    /** Whether {@code [offset, offset + length)} lies within {@code capacity}; false if negative; no overflow. */
    static boolean inRange(long offset, long length, long capacity) {
        return offset >= 0 && length >= 0 && offset <= capacity - length;
    }

    static int statusOf(Throwable t) {
        if (t instanceof ClosedChannelException) {
            return INTERNAL_PATH_ERROR;
        }
        if (t instanceof EOFException) {
            return INTERNAL_DNR;
        }
        String message = t.getMessage();
        if (message == null) {
            return INTERNAL_DNR;
        }
        if (message.contains("No space left on device")) { // ENOSPC
            return CAPACITY_EXCEEDED;
        }
        if (message.contains("Remote I/O error")) { // EREMOTEIO
            return Status.LBA_RANGE | Status.DNR;
        }
        if (message.contains("Operation not supported")) { // EOPNOTSUPP
            return Status.INVALID_OPCODE | Status.DNR;
        }
        if (message.contains("No data available")) { // ENODATA
            return Status.ACCESS_DENIED;
        }
        return INTERNAL_DNR;
    }
}
