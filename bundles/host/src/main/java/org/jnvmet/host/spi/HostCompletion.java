package org.jnvmet.host.spi;

/** Receives one command's completion, or the failure of the channel that carried it. */
public interface HostCompletion {
    /**
     * @param result  CQE DW0 | DW1 << 32
     * @param sqHead  CQE SQHD
     * @param status  15-bit status field (org.jnvmet.protocol.nvme.Status)
     */
    void completed(long result, int sqHead, int status);

    /** The channel failed or closed before the command completed. */
    void failed(Throwable cause);
}
