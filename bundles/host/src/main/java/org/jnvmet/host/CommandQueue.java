package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One queue of a controller (or a channel not yet connected) on which raw commands can be submitted: the escape
 * hatch for commands the typed API does not build, including deliberately malformed ones.
 */
public interface CommandQueue extends AutoCloseable {
    /** Queue ID (0: admin). */
    int qid();

    /** Most commands this queue keeps in flight; further submits wait for a free command identifier. */
    int depth();

    /**
     * Submits a command as given, except for its CID, which the queue assigns. The transport fills DPTR from the
     * data buffers only when the SQE leaves DPTR all zero; a non-zero DPTR is sent unchanged. FLAGS (PSDT, FUSE) are
     * sent as given ({@link Commands} builders set PSDT to SGL as fabrics require).
     *
     * @param sqe      64-byte submission queue entry (from its reader index); not retained
     * @param dataOut  host-to-controller data (its readable bytes), or null
     * @param dataIn   buffer for controller-to-host data, written at its writer index; its writable bytes are the
     *                 transfer length offered to the controller. Null for none
     * @return the completion whatever its status; completes exceptionally only if the channel fails
     */
    CompletableFuture<Completion> submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn);

    /** {@link #submit} and wait for the completion (any status) within the command timeout. */
    Completion execute(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn) throws IOException;

    /** Waits for a future of this queue within the command timeout, unwrapping its failure. */
    Completion await(CompletableFuture<Completion> future) throws IOException;

    /** Commands submitted and not yet completed. */
    int inFlight();

    boolean isOpen();

    /** Closes the channel; commands still in flight fail. */
    @Override
    void close();
}
