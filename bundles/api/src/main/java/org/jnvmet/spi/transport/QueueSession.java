package org.jnvmet.spi.transport;

/**
 * The core side of one queue, returned by {@link TargetEndpoint#openQueue}. Starts unbound: the first command must
 * be a Fabrics Connect, which binds the queue to a controller (admin queue, qid 0) or to an existing controller's
 * I/O queue.
 */
public interface QueueSession {
    /**
     * Validates a newly received command and decides its data transfer
     * ({@link NvmeRequest#setTransfer}). Returns {@code false} when the command already completed with an error
     * (the core has called {@link NvmeRequest#complete}), in which case the transport must not execute it (but
     * still has to drain any in-capsule data it carried).
     */
    boolean init(NvmeRequest request);

    /** Runs a command whose data (if host-to-controller) is now in {@link NvmeRequest#data()}. */
    void execute(NvmeRequest request);

    /** The transport lost or closed the connection; in-flight commands will still complete. Idempotent. */
    void disconnected();

    /** Queue size negotiated by Connect (SQSIZE + 1), or 0 before Connect. */
    int queueSize();

    /** True once Connect disabled SQ flow control on this queue (CATTR bit 2). */
    boolean sqFlowControlDisabled();
}
