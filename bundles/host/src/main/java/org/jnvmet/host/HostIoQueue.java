package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An I/O queue with the NVM command set. Asynchronous methods may be called from any thread; their futures
 * complete on the transport's (or the target's) thread, exceptionally with {@link NvmeStatusException} when the
 * command fails. Data buffers must stay untouched until the future completes. Synchronous methods wait at most
 * the command timeout. A submit waits while the queue is full, so neither synchronous calls nor submits belong in
 * code that runs on the transport's thread (a future's non-async dependents).
 */
public interface HostIoQueue extends CommandQueue {

    /** Reads {@code blocks} logical blocks at {@code slba} into {@code dst} at its writer index, advancing it. */
    CompletableFuture<Completion> readAsync(HostNamespace ns, long slba, int blocks, ByteBuf dst);

    /** Writes the readable bytes of {@code src} (a whole number of blocks) at {@code slba}. */
    CompletableFuture<Completion> writeAsync(HostNamespace ns, long slba, ByteBuf src, boolean fua);

    /** Compares the readable bytes of {@code src} with the blocks at {@code slba} (Compare, opcode 05h). */
    CompletableFuture<Completion> compareAsync(HostNamespace ns, long slba, ByteBuf src);

    CompletableFuture<Completion> flushAsync(int nsid);

    CompletableFuture<Completion> writeZeroesAsync(HostNamespace ns, long slba, int blocks, boolean deallocate);

    /** Dataset Management with the Deallocate attribute over {@code blocks} blocks from {@code slba}. */
    CompletableFuture<Completion> deallocateAsync(HostNamespace ns, long slba, long blocks);

    default Completion read(HostNamespace ns, long slba, int blocks, ByteBuf dst) throws IOException {
        return await(readAsync(ns, slba, blocks, dst));
    }

    default Completion write(HostNamespace ns, long slba, ByteBuf src, boolean fua) throws IOException {
        return await(writeAsync(ns, slba, src, fua));
    }

    default Completion compare(HostNamespace ns, long slba, ByteBuf src) throws IOException {
        return await(compareAsync(ns, slba, src));
    }

    default Completion flush(int nsid) throws IOException {
        return await(flushAsync(nsid));
    }

    default Completion writeZeroes(HostNamespace ns, long slba, int blocks, boolean deallocate) throws IOException {
        return await(writeZeroesAsync(ns, slba, blocks, deallocate));
    }

    default Completion deallocate(HostNamespace ns, long slba, long blocks) throws IOException {
        return await(deallocateAsync(ns, slba, blocks));
    }
}
