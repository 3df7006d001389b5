package org.jnvmet.host.spi;

import io.netty.buffer.ByteBuf;

/**
 * One host-side queue channel. The host library builds the 64-byte SQE (opcode, CID, NSID, CDWs); the transport
 * fills the data pointer (SGL1) the way its binding requires (in-capsule or transport data block), moves the data,
 * and reports the CQE. {@link #submit} may be called from any thread; completions arrive on the transport's thread.
 */
public interface HostQueue extends AutoCloseable {
    /**
     * Sends one command.
     *
     * @param sqe      64 bytes; the transport may modify its DPTR. Ownership stays with the caller.
     * @param dataOut  host-to-controller data (its readable bytes), or null. Ownership stays with the caller.
     * @param dataIn   buffer receiving controller-to-host data at its writer index, or null. Ownership stays with the caller.
     * @param callback receives the completion
     */
    void submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn, HostCompletion callback);

    /** Largest write this queue sends inside the command capsule. */
    int maxInlineData();

    /** True when the channel is open. */
    boolean isOpen();

    @Override
    void close();
}
