package org.jnvmet.spi.passthru;

import org.jnvmet.protocol.nvme.Status;

/**
 * Receives the outcome of one command submitted to an {@link NvmeDevice}. Called exactly once, on a device thread
 * (never on the submitter's thread unless the command failed before it reached the device). A request object that
 * implements this interface avoids any allocation per command.
 */
@FunctionalInterface
public interface DeviceCompletion {
    /**
     * @param status NVMe status field as the device completed the command ({@link Status} encoding, DNR and More
     *               included), or a negative errno when the command could not be run at all (Linux ioctl
     *               convention, e.g. {@code -19} ENODEV once the controller was removed)
     * @param result completion DW0 (and DW1 in the upper half, for commands that return 64 bits)
     */
    void complete(int status, long result);

    /** Whether {@code status} is a negative errno rather than an NVMe status. */
    static boolean isErrno(int status) {
        return status < 0;
    }

    /**
     * The NVMe status a fabrics host sees: device statuses unchanged, an errno as Internal Error, as the Linux
     * target does ({@code nvmet_passthru_execute_cmd_work}: "status < 0 -> NVME_SC_INTERNAL").
     */
    static int toNvmeStatus(int status) {
        return status < 0 ? Status.INTERNAL : status;
    }
}
