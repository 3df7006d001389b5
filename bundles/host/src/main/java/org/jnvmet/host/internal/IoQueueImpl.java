package org.jnvmet.host.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.NvmOpcode;

/** An I/O queue: NVM commands built straight into the CID's reusable SQE. */
public final class IoQueueImpl extends QueueChannel implements HostIoQueue {
    /** NLB is a 16-bit 0's based field. */
    static final int MAX_BLOCKS = 65536;
    /** A DSM range covers at most 2^32-1 blocks. */
    private static final long MAX_RANGE_BLOCKS = 0xFFFFFFFFL;

    public IoQueueImpl(HostQueue queue, int qid, int queueSize, Duration timeout) {
        super(queue, qid, queueSize, timeout);
    }

    @Override
    public CompletableFuture<Completion> readAsync(HostNamespace ns, long slba, int blocks, ByteBuf dst) {
        int length = transferLength(ns, blocks);
        dst.ensureWritable(length);
        ByteBuf in = dst;
        ByteBuf advance = null;
        if (dst.writableBytes() != length) {
            // the transport offers the controller all writable bytes, so give it a window of exactly the length
            in = dst.slice(dst.writerIndex(), length).clear();
            advance = dst;
        }
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        Commands.fillReadWrite(slot.sqe, NvmOpcode.READ, ns.nsid(), slba, blocks, false);
        return dispatch(slot, null, in, true, advance, length);
    }

    @Override
    public CompletableFuture<Completion> writeAsync(HostNamespace ns, long slba, ByteBuf src, boolean fua) {
        return dataOut(NvmOpcode.WRITE, ns, slba, src, fua);
    }

    @Override
    public CompletableFuture<Completion> compareAsync(HostNamespace ns, long slba, ByteBuf src) {
        return dataOut(NvmOpcode.COMPARE, ns, slba, src, false);
    }

    private CompletableFuture<Completion> dataOut(int opcode, HostNamespace ns, long slba, ByteBuf src, boolean fua) {
        int blocks = blocksOf(ns, src.readableBytes());
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        Commands.fillReadWrite(slot.sqe, opcode, ns.nsid(), slba, blocks, fua);
        return dispatch(slot, src, null, true, null, 0);
    }

    @Override
    public CompletableFuture<Completion> flushAsync(int nsid) {
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        Commands.fillHeader(slot.sqe, NvmOpcode.FLUSH, nsid);
        return dispatch(slot, null, null, true, null, 0);
    }

    @Override
    public CompletableFuture<Completion> writeZeroesAsync(HostNamespace ns, long slba, int blocks,
            boolean deallocate) {
        checkBlocks(blocks);
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        Commands.fillWriteZeroes(slot.sqe, ns.nsid(), slba, blocks, deallocate);
        return dispatch(slot, null, null, true, null, 0);
    }

    @Override
    public CompletableFuture<Completion> deallocateAsync(HostNamespace ns, long slba, long blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks " + blocks);
        }
        long ranges = (blocks + MAX_RANGE_BLOCKS - 1) / MAX_RANGE_BLOCKS;
        if (ranges > DatasetManagement.MAX_RANGES) {
            throw new IllegalArgumentException(blocks + " blocks need more than 256 ranges");
        }
        ByteBuf data = Unpooled.buffer((int) ranges * DatasetManagement.RANGE_SIZE);
        long lba = slba;
        long left = blocks;
        for (int i = 0; i < ranges; i++) {
            long n = Math.min(left, MAX_RANGE_BLOCKS);
            DatasetManagement.setRange(data, i, lba, (int) n);
            lba += n;
            left -= n;
        }
        data.writerIndex((int) ranges * DatasetManagement.RANGE_SIZE);
        CompletableFuture<Completion> failed = new CompletableFuture<>();
        CommandSlot slot = acquire(failed);
        if (slot == null) {
            return failed;
        }
        Commands.fillDatasetManagement(slot.sqe, ns.nsid(), (int) ranges, DatasetManagement.ATTR_AD);
        return dispatch(slot, data, null, true, null, 0);
    }

    private static int transferLength(HostNamespace ns, int blocks) {
        checkBlocks(blocks);
        long length = (long) blocks << ns.lbaShift();
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(blocks + " blocks of " + ns.blockSize() + " bytes is too long");
        }
        return (int) length;
    }

    private static int blocksOf(HostNamespace ns, int bytes) {
        if (bytes == 0 || (bytes & (ns.blockSize() - 1)) != 0) {
            throw new IllegalArgumentException(bytes + " bytes is not a whole number of " + ns.blockSize()
                    + "-byte blocks");
        }
        int blocks = bytes >>> ns.lbaShift();
        checkBlocks(blocks);
        return blocks;
    }

    private static void checkBlocks(int blocks) {
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks " + blocks + " not in 1.." + MAX_BLOCKS);
        }
    }
}
