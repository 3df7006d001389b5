package org.jnvmet.host;

import org.jnvmet.protocol.nvme.Status;

/**
 * A command's completion queue entry as the host sees it.
 *
 * @param result  CQE DW0 | DW1 << 32 (command specific)
 * @param sqHead  SQHD: the controller's submission queue head pointer (0xFFFF with SQ flow control disabled)
 * @param status  the 15-bit status field ({@link Status}), phase tag removed
 */
public record Completion(long result, int sqHead, int status) {

    public boolean isSuccess() {
        return Status.isSuccess(status);
    }

    /** Status code type and status code without CRD, More and DNR. */
    public int code() {
        return Status.code(status);
    }

    /** Do Not Retry. */
    public boolean dnr() {
        return Status.dnr(status);
    }

    /** CQE DW0. */
    public int dw0() {
        return (int) result;
    }

    @Override
    public String toString() {
        return "Completion[" + Status.toString(status) + ", result=0x" + Long.toHexString(result) + ", sqhd="
                + sqHead + "]";
    }
}
