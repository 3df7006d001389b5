package org.jnvmet.spi.passthru;

/**
 * A completed device command, for callers that prefer futures over {@link DeviceCompletion}.
 *
 * @param status NVMe status ({@code org.jnvmet.protocol.nvme.Status} encoding) or a negative errno
 * @param result completion DW0 (DW1 in the upper 32 bits)
 */
public record DeviceResult(int status, long result) {
    public boolean isSuccess() {
        return status == 0;
    }

    public boolean isErrno() {
        return status < 0;
    }

    /** Status as a fabrics host sees it: an errno becomes Internal Error. */
    public int nvmeStatus() {
        return DeviceCompletion.toNvmeStatus(status);
    }

    /** Completion DW0. */
    public int dw0() {
        return (int) result;
    }
}
