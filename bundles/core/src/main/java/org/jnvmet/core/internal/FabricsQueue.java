package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.RequestCompleter;
import org.jnvmet.spi.transport.TransportQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core side of one queue (struct nvmet_sq + nvmet_cq). Command flow as nvmet_req_init: FUSE and PSDT checks,
 * then Connect on an unbound queue, admin parsing on qid 0 and I/O parsing otherwise, then the data mapping a
 * transport does (SGL type, in-capsule limits, transfer bound), then the checks the Linux target makes when the
 * command executes (transfer length, field values). Completion updates SQHD, the error log and the More bit.
 */
final class FabricsQueue implements QueueSession, RequestCompleter {
    private static final Logger LOG = LoggerFactory.getLogger(FabricsQueue.class);
    /** In-capsule data the admin queue and fabrics commands may carry whatever the I/O inline size (8 KiB). */
    static final int ADMIN_INLINE_DATA_SIZE = 8192;

    final TargetEngine engine;
    final PortRuntime port;
    final TransportQueue transport;

    private volatile Controller controller;
    private volatile int qid;
    private volatile int size;
    private volatile boolean sqFlowDisabled;
    private final AtomicInteger sqHead = new AtomicInteger();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private volatile CommandContext[] contexts = new CommandContext[0];

    FabricsQueue(TargetEngine engine, PortRuntime port, TransportQueue transport) {
        this.engine = engine;
        this.port = port;
        this.transport = transport;
    }

    Controller controller() {
        return controller;
    }

    int qid() {
        return qid;
    }

    @Override
    public int queueSize() {
        return size;
    }

    @Override
    public boolean sqFlowControlDisabled() {
        return sqFlowDisabled;
    }

    /** Binds this queue to its controller after a successful Connect (nvmet_sq_setup). */
    boolean bind(Controller c, int queueId, int queueSize, boolean disableSqFlow) {
        synchronized (this) {
            if (controller != null) {
                return false;
            }
            this.qid = queueId;
            this.size = queueSize;
            this.sqHead.set(0);
            this.sqFlowDisabled = disableSqFlow;
            this.controller = c;
        }
        if (destroyed.get()) {
            // The transport went away while Connect ran: give the reference back.
            c.queueDestroyed(queueId, this);
        }
        return true;
    }

    // ---- QueueSession ------------------------------------------------------------------------------------------

    @Override
    public boolean init(NvmeRequest req) {
        CommandContext ctx = context(req.slot());
        ctx.reset();
        ctx.request = req;
        req.setCoreContext(ctx);
        req.setCompleter(this);
        ByteBuf sqe = req.sqe();
        int flags = SubmissionQueueEntry.flags(sqe);
        int status;
        if ((flags & SubmissionQueueEntry.FLAGS_FUSE_MASK) != 0) {
            // No support for fused commands, like Linux.
            status = ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.FLAGS);
        } else if ((flags & SubmissionQueueEntry.FLAGS_PSDT_MASK) != SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG) {
            // Fabrics requires PSDT 01b: SGL data, metadata in one contiguous buffer.
            status = ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.FLAGS);
        } else {
            Controller c = controller;
            if (c == null) {
                status = FabricsCommands.parseConnect(req, ctx);
            } else if (qid != 0) {
                status = IoCommands.parse(c, req, ctx);
            } else {
                status = AdminCommands.parse(c, req, ctx);
            }
            if (status == 0 && destroyed.get()) {
                status = ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.NONE);
            }
            if (status == 0) {
                if (c != null) {
                    c.resetTbkas = true;
                }
                status = mapData(req, sqe, ctx);
                if (status == 0) {
                    status = validate(c, req, ctx);
                }
            }
        }
        if (status != 0) {
            req.complete(status);
            return false;
        }
        return true;
    }

    /**
     * The transport's part of nvmet_req_init in Linux: the SGL decides the transfer, bounded before anything is
     * allocated for it (nvmet_tcp_map_data: length bound and in-capsule checks; nvmet_rdma_map_sgl: descriptor
     * type and sub type checks, which TCP leaves out).
     */
    private int mapData(NvmeRequest req, ByteBuf sqe, CommandContext ctx) {
        long len = SglDescriptor.length(sqe);
        if (len == 0) {
            req.setTransfer(NvmeRequest.Direction.NONE, 0);
            return 0;
        }
        Controller c = controller;
        // MDTS: the engine's, or a passthru device's (Linux ignores param_mdts for passthru)
        if (len > (c != null ? c.maxTransferSize() : engine.maxTransferSize())) {
            return Status.SGL_INVALID_DATA | Status.DNR;
        }
        int id = SglDescriptor.identifier(sqe);
        int type = id >>> 4;
        int subtype = id & 0x0F;
        boolean write = (SubmissionQueueEntry.opcode(sqe) & 0x01) != 0;
        if (type == SglDescriptor.TYPE_DATA_BLOCK) {
            if (subtype != SglDescriptor.SUBTYPE_OFFSET) {
                return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.DPTR);
            }
            if (!write) {
                return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.OPCODE);
            }
            if (SglDescriptor.address(sqe) != 0 || len > inlineLimit(sqe)) {
                return Status.SGL_INVALID_OFFSET | Status.DNR;
            }
        } else if (type == SglDescriptor.TYPE_TRANSPORT_DATA_BLOCK) {
            if (subtype != SglDescriptor.SUBTYPE_TRANSPORT) {
                return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.DPTR);
            }
        } else {
            return ctx.fail(Status.SGL_INVALID_TYPE | Status.DNR, ErrorLocation.DPTR);
        }
        req.setTransfer(write ? NvmeRequest.Direction.HOST_TO_CONTROLLER : NvmeRequest.Direction.CONTROLLER_TO_HOST,
                (int) len);
        return 0;
    }

    private int inlineLimit(ByteBuf sqe) {
        int inline = transport.inlineDataSize();
        if (controller == null || qid == 0 || SubmissionQueueEntry.opcode(sqe) == 0x7F) {
            return Math.max(inline, ADMIN_INLINE_DATA_SIZE);
        }
        return inline;
    }

    private int validate(Controller c, NvmeRequest req, CommandContext ctx) {
        return switch (ctx.handler) {
            case CommandContext.ADMIN_CONNECT, CommandContext.IO_CONNECT, CommandContext.PROPERTY_GET,
                    CommandContext.PROPERTY_SET -> FabricsCommands.validate(req, ctx);
            case CommandContext.READ, CommandContext.WRITE, CommandContext.COMPARE, CommandContext.FLUSH,
                    CommandContext.WRITE_ZEROES, CommandContext.DATASET_MANAGEMENT -> IoCommands.validate(req, ctx);
            case CommandContext.DISC_IDENTIFY, CommandContext.DISC_GET_LOG_PAGE, CommandContext.DISC_SET_FEATURES,
                    CommandContext.DISC_GET_FEATURES -> DiscoveryCommands.validate(req, ctx);
            // the device checks its own commands: Linux forwards the SGL's length as it is
            case CommandContext.PASSTHRU_ADMIN, CommandContext.PASSTHRU_IO -> 0;
            default -> AdminCommands.validate(c, req, ctx);
        };
    }

    @Override
    public void execute(NvmeRequest req) {
        CommandContext ctx = (CommandContext) req.coreContext();
        Controller c = controller;
        try {
            switch (ctx.handler) {
                case CommandContext.READ -> IoCommands.read(c, req, ctx);
                case CommandContext.WRITE -> IoCommands.write(c, req, ctx);
                case CommandContext.FLUSH -> IoCommands.flush(c, req, ctx);
                case CommandContext.WRITE_ZEROES -> IoCommands.writeZeroes(c, req, ctx);
                case CommandContext.DATASET_MANAGEMENT -> IoCommands.datasetManagement(c, req, ctx);
                case CommandContext.COMPARE -> IoCommands.compare(this, c, req, ctx);
                case CommandContext.PASSTHRU_IO -> PassthruDispatch.executeIo(this, c, req, ctx);
                case CommandContext.PASSTHRU_ADMIN -> PassthruDispatch.executeAdmin(this, c, req, ctx);
                case CommandContext.ADMIN_CONNECT -> FabricsCommands.adminConnect(this, req, ctx);
                case CommandContext.IO_CONNECT -> FabricsCommands.ioConnect(this, req, ctx);
                case CommandContext.PROPERTY_GET -> FabricsCommands.propertyGet(c, req, ctx);
                case CommandContext.PROPERTY_SET -> FabricsCommands.propertySet(c, req, ctx);
                case CommandContext.DISC_IDENTIFY, CommandContext.DISC_GET_LOG_PAGE,
                        CommandContext.DISC_SET_FEATURES, CommandContext.DISC_GET_FEATURES ->
                        DiscoveryCommands.execute(this, c, req, ctx);
                default -> AdminCommands.execute(this, c, req, ctx);
            }
        } catch (RuntimeException e) {
            LOG.error("command opcode {} on queue {} failed", req.opcode(), qid, e);
            if (req.coreContext() == ctx && ctx.handler != 0) {
                ctx.handler = 0;
                req.complete(Status.INTERNAL | Status.DNR);
            }
        }
    }

    /** Post-processing of a finished command (__nvmet_req_complete), then the transport sends it. */
    @Override
    public void completed(NvmeRequest req) {
        CommandContext ctx = (CommandContext) req.coreContext();
        int status = req.status();
        if (ctx.comparing) {
            status = IoCommands.finishCompare(req, ctx, status);
        }
        if (ctx.ns != null) {
            IoCommands.finish(controller, req, ctx, status);
        } else if (ctx.passthruNs != null) {
            PassthruDispatch.finish(controller, ctx, status);
        }
        int head;
        if (ctx.sqHeadOverride >= 0) {
            head = ctx.sqHeadOverride;
        } else if (sqFlowDisabled) {
            head = 0;
        } else {
            head = advanceSqHead();
        }
        req.setSqHead(head);
        Controller c = controller;
        if (status != 0 && c != null && ctx.errorLocation != ErrorLocation.NONE) {
            c.errorLog().record(qid, req.cid(), status & ~Status.MORE, ctx.errorLocation, ctx.errorLba, req.nsid());
            status |= Status.MORE;
        }
        ctx.handler = 0;
        req.setCompleter(null);
        req.complete(status);
    }

    private int advanceSqHead() {
        int n = size;
        if (n == 0) {
            return sqHead.get() & 0xFFFF;
        }
        int old;
        int next;
        do {
            old = sqHead.get();
            next = (old + 1) % n;
        } while (!sqHead.compareAndSet(old, next));
        return next & 0xFFFF;
    }

    @Override
    public void disconnected() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        Controller c;
        synchronized (this) {
            c = controller;
        }
        if (c != null) {
            c.queueDestroyed(qid, this);
        }
    }

    /** Controller deletion: close the connection and release the queue's controller reference now. */
    void closeTransport() {
        try {
            transport.close();
        } finally {
            disconnected();
        }
    }

    /** Space for a controller-to-host result of the command's transfer length; returns its base index. */
    int prepareOutput(NvmeRequest req) {
        int len = req.transferLength();
        ByteBuf b = req.data();
        if (b == null) {
            b = transport.allocator().buffer(len, len);
            req.setData(b);
        }
        int base = b.writerIndex();
        b.writeZero(len);
        return base;
    }

    private CommandContext context(int slot) {
        CommandContext[] a = contexts;
        if (slot < a.length && a[slot] != null) {
            return a[slot];
        }
        synchronized (this) {
            a = contexts;
            if (slot >= a.length) {
                CommandContext[] grown = new CommandContext[Math.max(slot + 1, Math.max(16, a.length * 2))];
                System.arraycopy(a, 0, grown, 0, a.length);
                a = grown;
            }
            if (a[slot] == null) {
                a[slot] = new CommandContext();
            }
            contexts = a;
            return a[slot];
        }
    }
}
