package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * NVM command set I/O (Linux nvmet_parse_io_cmd and io-cmd-bdev.c). The hot path (Read/Write) looks the namespace
 * up in a copy-on-write array, counts it in flight, converts LBAs to bytes and calls the backend on the caller's
 * thread: no locks, no allocation.
 */
final class IoCommands {
    private IoCommands() {
    }

    static int parse(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        if (FabricsCommandType.isFabrics(sqe)) {
            // No fabrics command is valid on an I/O queue without authentication support.
            return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.FCTYPE);
        }
        if (!c.ready()) {
            return Status.CMD_SEQ_ERROR | Status.DNR;
        }
        if (c.passthru != null) {
            // nvmet_parse_passthru_io_cmd: no namespace lookup, the device answers for the NSID
            return PassthruDispatch.parseIo(c, req, ctx);
        }
        Namespace ns = c.subsystem.findActive(req.nsid());
        if (ns == null || !ns.acquire()) {
            return ctx.fail(Status.INVALID_NS | Status.DNR, ErrorLocation.NSID);
        }
        ctx.ns = ns;
        switch (req.opcode()) {
            case NvmOpcode.READ -> readWrite(ctx, sqe, ns, CommandContext.READ);
            case NvmOpcode.WRITE -> readWrite(ctx, sqe, ns, CommandContext.WRITE);
            case NvmOpcode.COMPARE -> readWrite(ctx, sqe, ns, CommandContext.COMPARE);
            case NvmOpcode.FLUSH -> ctx.handler = CommandContext.FLUSH;
            case NvmOpcode.WRITE_ZEROES -> readWrite(ctx, sqe, ns, CommandContext.WRITE_ZEROES);
            case NvmOpcode.DATASET_MANAGEMENT -> {
                ctx.handler = CommandContext.DATASET_MANAGEMENT;
                ctx.length = (long) DatasetManagement.ranges(sqe) * DatasetManagement.RANGE_SIZE;
            }
            default -> {
                // Reservations, Verify, Copy, Write Uncorrectable, vendor specific...
                return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
            }
        }
        return 0;
    }

    private static void readWrite(CommandContext ctx, ByteBuf sqe, Namespace ns, int handler) {
        ctx.handler = handler;
        ctx.offset = ReadWriteCommand.slba(sqe);
        ctx.length = (long) ReadWriteCommand.blocks(sqe) << ns.blockShift;
    }

    /** Execute-time checks: transfer length as nvmet_check_transfer_len, then the LBA range. */
    static int validate(NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        switch (ctx.handler) {
            case CommandContext.READ, CommandContext.WRITE, CommandContext.COMPARE -> {
                int status = FabricsCommands.checkLength(req, ctx, ctx.length);
                return status != 0 ? status : checkRange(ctx, ns, ctx.offset, ctx.length >>> ns.blockShift);
            }
            case CommandContext.WRITE_ZEROES -> {
                int status = FabricsCommands.checkLength(req, ctx, 0);
                return status != 0 ? status : checkRange(ctx, ns, ctx.offset, ctx.length >>> ns.blockShift);
            }
            case CommandContext.DATASET_MANAGEMENT -> {
                // NR ranges must arrive; a longer buffer is fine (the Linux host sends a whole page).
                return FabricsCommands.checkLengthAtLeast(req, ctx, ctx.length);
            }
            default -> {
                return FabricsCommands.checkLength(req, ctx, 0);
            }
        }
    }

    /**
     * SLBA + NLB beyond the namespace, including 64-bit wrap-around. Answered as the Linux file backend does
     * (io-cmd-file.c: pos + len > size gives -ENOSPC, Capacity Exceeded with DNR at the NLB field), for every
     * backend; unlike Linux the check is made in blocks, so no byte offset can wrap past it.
     */
    private static int checkRange(CommandContext ctx, Namespace ns, long slba, long blocks) {
        return beyondEnd(ns.blocks(), slba, blocks) ? ctx.fail(Status.CAP_EXCEEDED | Status.DNR, ErrorLocation.LENGTH)
                : 0;
    }

    private static boolean beyondEnd(long nsze, long slba, long blocks) {
        return Long.compareUnsigned(slba, nsze) > 0 || Long.compareUnsigned(blocks, nsze - slba) > 0;
    }

    private static void startAccounting(Controller c, CommandContext ctx, DeviceCounters.Op op, long bytes) {
        DeviceCounters counters = ctx.ns.counters;
        ctx.op = op;
        ctx.sectors = bytes >>> 9;
        if (counters != null) {
            ctx.counters = counters;
            ctx.startNanos = counters.start(op);
        }
    }

    static void read(Controller c, NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        startAccounting(c, ctx, DeviceCounters.Op.READ, ctx.length);
        ns.backend.read(req, ctx.offset << ns.blockShift, (int) ctx.length);
    }

    static void write(Controller c, NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        startAccounting(c, ctx, DeviceCounters.Op.WRITE, ctx.length);
        ns.backend.write(req, ctx.offset << ns.blockShift, (int) ctx.length, ReadWriteCommand.fua(req.sqe()));
    }

    static void flush(Controller c, NvmeRequest req, CommandContext ctx) {
        startAccounting(c, ctx, DeviceCounters.Op.FLUSH, 0);
        ctx.ns.backend.flush(req);
    }

    static void writeZeroes(Controller c, NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        startAccounting(c, ctx, DeviceCounters.Op.WRITE, ctx.length);
        ns.backend.writeZeroes(req, ctx.offset << ns.blockShift, ctx.length);
    }

    /** Dataset Management: deallocate ranges when AD is set; other attributes are hints and succeed. */
    static void datasetManagement(Controller c, NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        ByteBuf sqe = req.sqe();
        if ((DatasetManagement.attributes(sqe) & DatasetManagement.ATTR_AD) == 0) {
            req.complete(Status.SUCCESS);
            return;
        }
        int nr = DatasetManagement.ranges(sqe);
        long[] ranges = ctx.ranges;
        if (ranges == null) {
            ranges = new long[DatasetManagement.MAX_RANGES * 2];
            ctx.ranges = ranges;
        }
        ByteBuf data = req.data();
        int base = data.readerIndex();
        long nsze = ns.blocks();
        int count = 0;
        long bytes = 0;
        for (int i = 0; i < nr; i++) {
            int r = base + i * DatasetManagement.RANGE_SIZE;
            long slba = data.getLongLE(r + DatasetManagement.RANGE_SLBA);
            long nlb = data.getUnsignedIntLE(r + DatasetManagement.RANGE_NLB);
            if (beyondEnd(nsze, slba, nlb)) {
                // nvmet_file_execute_discard: -ENOSPC with the range's SLBA in the error log.
                ctx.errorLba = slba;
                req.complete(ctx.fail(Status.CAP_EXCEEDED | Status.DNR, ErrorLocation.LENGTH));
                return;
            }
            if (nlb == 0) {
                continue;
            }
            ranges[2 * count] = slba << ns.blockShift;
            ranges[2 * count + 1] = nlb << ns.blockShift;
            bytes += nlb << ns.blockShift;
            count++;
        }
        BlockBackend backend = ns.backend;
        if (count == 0 || !backend.supportsDeallocate()) {
            // Like a block device without discard support: the hint is accepted and ignored.
            req.complete(Status.SUCCESS);
            return;
        }
        startAccounting(c, ctx, DeviceCounters.Op.DISCARD, bytes);
        backend.deallocate(req, ranges, count);
    }

    /** Compare: read the range into a scratch buffer, then compare it with the host's data on completion. */
    static void compare(FabricsQueue queue, Controller c, NvmeRequest req, CommandContext ctx) {
        Namespace ns = ctx.ns;
        int len = (int) ctx.length;
        ctx.compareData = req.data();
        ctx.comparing = true;
        req.setData(queue.transport.allocator().buffer(len, len));
        startAccounting(c, ctx, DeviceCounters.Op.READ, ctx.length);
        ns.backend.read(req, ctx.offset << ns.blockShift, len);
    }

    /** Completion of the read half of a Compare: returns the command's final status. */
    static int finishCompare(NvmeRequest req, CommandContext ctx, int status) {
        ctx.comparing = false;
        ByteBuf media = req.data();
        ByteBuf host = ctx.compareData;
        ctx.compareData = null;
        req.setData(host);
        try {
            if (status != 0) {
                return status;
            }
            int len = (int) ctx.length;
            if (media.readableBytes() < len || host.readableBytes() < len
                    || !ByteBufUtil.equals(media, media.readerIndex(), host, host.readerIndex(), len)) {
                return Status.COMPARE_FAILED | Status.DNR;
            }
            return Status.SUCCESS;
        } finally {
            media.release();
        }
    }

    /** Accounting, SMART counters and the namespace reference of a finished I/O command. */
    static void finish(Controller c, NvmeRequest req, CommandContext ctx, int status) {
        Namespace ns = ctx.ns;
        ctx.ns = null;
        DeviceCounters.Op op = ctx.op;
        if (op != null) {
            DeviceCounters counters = ctx.counters;
            if (counters != null && c != null) {
                counters.end(op, ctx.sectors, ctx.startNanos, status != 0, c.session(ns, counters));
            }
            if (status == 0) {
                if (op == DeviceCounters.Op.READ) {
                    ns.readCommands.increment();
                    ns.sectorsRead.add(ctx.sectors);
                } else if (op == DeviceCounters.Op.WRITE) {
                    ns.writeCommands.increment();
                    ns.sectorsWritten.add(ctx.sectors);
                }
            }
        }
        ns.release();
    }
}
