package org.jnvmet.host;

import java.io.IOException;
import org.jnvmet.protocol.nvme.Status;

/** A command completed with an error status. */
public class NvmeStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long result;

    public NvmeStatusException(String command, int status, long result) {
        super(command + " failed: " + Status.toString(status));
        this.status = status;
        this.result = result;
    }

    /** The 15-bit status field. */
    public int status() {
        return status;
    }

    /** Status code type and status code, without CRD, More and DNR. */
    public int code() {
        return Status.code(status);
    }

    public boolean dnr() {
        return Status.dnr(status);
    }

    /** CQE DW0/DW1 (e.g. the invalid parameter offset of a failed Connect). */
    public long result() {
        return result;
    }
}
