package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.core.internal.passthru.PassthruDecision;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * The core's per-slot command state (the parts of struct nvmet_req the transport does not own). One instance per
 * transport slot, reused for every command in that slot, so commands allocate nothing. It is also the
 * {@link DeviceCompletion} of the slot's passthru commands, so forwarding a command to a device allocates nothing
 * either.
 */
final class CommandContext implements DeviceCompletion {
    // Handlers chosen at parse time; execute() switches on them.
    static final int ADMIN_CONNECT = 1;
    static final int IO_CONNECT = 2;
    static final int PROPERTY_GET = 3;
    static final int PROPERTY_SET = 4;
    static final int IDENTIFY = 10;
    static final int GET_LOG_PAGE = 11;
    static final int SET_FEATURES = 12;
    static final int GET_FEATURES = 13;
    static final int ASYNC_EVENT = 14;
    static final int KEEP_ALIVE = 15;
    static final int ABORT = 16;
    static final int DISC_IDENTIFY = 20;
    static final int DISC_GET_LOG_PAGE = 21;
    static final int DISC_SET_FEATURES = 22;
    static final int DISC_GET_FEATURES = 23;
    static final int READ = 30;
    static final int WRITE = 31;
    static final int FLUSH = 32;
    static final int WRITE_ZEROES = 33;
    static final int DATASET_MANAGEMENT = 34;
    static final int COMPARE = 35;
    static final int PASSTHRU_ADMIN = 40;
    static final int PASSTHRU_IO = 41;

    int handler;
    int errorLocation = ErrorLocation.NONE;
    long errorLba;
    /** CQE SQHD to report instead of the queue's head (Connect with SQ flow control disabled: 0xFFFF). */
    int sqHeadOverride = -1;

    /** I/O: the namespace held through Namespace.acquire(), released at completion. */
    Namespace ns;
    long offset;
    long length;
    /** Accounting of this I/O, when bound. */
    DeviceCounters counters;
    DeviceCounters.Op op;
    long sectors;
    long startNanos;

    /** Compare: the host's data while the backend reads into a scratch buffer. */
    ByteBuf compareData;
    boolean comparing;

    /** Dataset Management ranges (offset, length pairs in bytes), allocated once per slot. */
    long[] ranges;

    /** The request of this slot, set by init: what a device completion completes. */
    NvmeRequest request;
    /** Passthru: the device binding, the settings in force when the command was parsed, and the decision. */
    PassthruBinding passthru;
    PassthruBinding.Settings passthruSettings;
    PassthruDecision passthruDecision;
    /** Passthru I/O counted in accounting: the device namespace, released at completion. */
    PassthruNamespaces.Entry passthruNs;

    void reset() {
        handler = 0;
        errorLocation = ErrorLocation.NONE;
        errorLba = 0;
        sqHeadOverride = -1;
        ns = null;
        offset = 0;
        length = 0;
        counters = null;
        op = null;
        sectors = 0;
        startNanos = 0;
        compareData = null;
        comparing = false;
        passthru = null;
        passthruSettings = null;
        passthruDecision = null;
        passthruNs = null;
    }

    /** A passthru command finished on the device: its status and DW0 reach the host unchanged (errno mapped). */
    @Override
    public void complete(int status, long result) {
        request.complete(PassthruDispatch.hostStatus(passthru, status), result);
    }

    /** Records where the command failed and returns the status, for one-line error returns. */
    int fail(int status, int location) {
        errorLocation = location;
        return status;
    }
}
