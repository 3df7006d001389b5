package org.jnvmet.transport.tcp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.protocol.tcp.C2HDataPdu;
import org.jnvmet.protocol.tcp.C2HTermReqPdu;
import org.jnvmet.protocol.tcp.CapsuleCommandPdu;
import org.jnvmet.protocol.tcp.CapsuleResponsePdu;
import org.jnvmet.protocol.tcp.Crc32c;
import org.jnvmet.protocol.tcp.DataPdu;
import org.jnvmet.protocol.tcp.FatalErrorStatus;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.protocol.tcp.IcRespPdu;
import org.jnvmet.protocol.tcp.NvmeTcpProtocolException;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduReader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.R2TPdu;
import org.jnvmet.protocol.tcp.TermReqPdu;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.NvmeRequest.Direction;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NVMe/TCP connection = one NVMe queue (the role of Linux's {@code struct nvmet_tcp_queue}). Runs on its
 * channel's event loop: frames PDUs with a {@link PduReader}, answers the ICReq, turns capsules into pooled
 * {@link NvmeRequest}s for the core, asks for write data with one R2T per command and reassembles the H2CData,
 * and sends C2HData/CapsuleResp. Responses finished on other threads hop onto the event loop; flushes are batched
 * (once per read batch, or once per batch of queued responses). Any protocol violation is answered with a
 * C2HTermReq and the connection is closed.
 */
public final class TcpQueue extends ChannelInboundHandlerAdapter implements TransportQueue, PduReader.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TcpQueue.class);

    /** ICResp MAXH2CDATA: largest H2CData PDU accepted, as Linux nvmet-tcp (NVMET_TCP_MAXH2CDATA). */
    public static final int MAX_H2C_DATA = 0x400000;
    /** Largest data transfer of one command; longer SGLs fail with SGL Data Block Invalid (Linux 4a3f00262a04). */
    public static final int MAX_TRANSFER = 0x400000;
    /** In-capsule data a host may send on the admin queue and with fabrics commands (NVME_TCP_ADMIN_CCSZ). */
    public static final int ADMIN_INLINE_DATA_SIZE = 8192;
    /** Port default for I/O queues, Linux's NVMET_TCP_DEF_INLINE_DATA_SIZE with 4 KiB pages. */
    public static final int DEFAULT_INLINE_DATA_SIZE = 16384;
    /** Command slots per queue: twice the queue size like Linux, at most twice the largest queue (1024). */
    public static final int MAX_SLOTS = 2048;
    private static final int MAX_DATA_COMPONENTS = 1024;
    /** Transfer bytes (read buffers, R2T'd write data) plus unsent output one connection may hold. */
    public static final long DATA_BUDGET = 16L << 20;

    private enum State { AWAIT_ICREQ, LIVE, TERMINATING, CLOSED }

    private final TargetEndpoint endpoint;
    private final ByteBufAllocator alloc;
    private final int ioInlineDataSize;
    private final long setupTimeoutMillis;
    private final CRC32C sendCrc = new CRC32C();
    private final Runnable flushTask = this::scheduledFlush;

    private Channel channel;
    private EventLoop loop;
    private PduReader reader;
    private QueueSession session;
    private String peer = "?";
    private String local;
    private State state = State.AWAIT_ICREQ;
    private boolean hdgst;
    private boolean ddgst;
    /** Queue id from the Connect command; -1 before it. */
    private int qid = -1;
    private TcpCommand[] commands = new TcpCommand[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private boolean inReadBatch;
    private boolean flushScheduled;
    private ScheduledFuture<?> setupTimer;
    private long dataInFlight;
    private TcpCommand deferredHead;
    private TcpCommand deferredTail;
    private boolean drainingDeferred;
    private boolean firstCapsuleSeen;

    public TcpQueue(TargetEndpoint endpoint, ByteBufAllocator alloc, long setupTimeoutMillis) {
        this.endpoint = endpoint;
        this.alloc = alloc;
        this.setupTimeoutMillis = setupTimeoutMillis;
        int inline = endpoint.port().inlineDataSize();
        this.ioInlineDataSize = inline < 0 ? DEFAULT_INLINE_DATA_SIZE : Math.min(inline, MAX_H2C_DATA);
    }

    // ---- channel lifecycle -------------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = channel.eventLoop();
        if (channel.remoteAddress() instanceof InetSocketAddress r) {
            String host = r.getAddress().getHostAddress();
            peer = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + r.getPort();
        }
        if (channel.localAddress() instanceof InetSocketAddress a) {
            local = a.getAddress().getHostAddress();
        }
        reader = new PduReader(alloc, this);
        growSlots(1);   // the Connect command; the pool grows once Connect set the queue size
        setupTimer = loop.schedule(this::setupTimeout, setupTimeoutMillis, TimeUnit.MILLISECONDS);
        try {
            session = endpoint.openQueue(this);
        } catch (RuntimeException e) {
            LOG.warn("{}: core refused the queue", peer, e);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        if (reader != null) {
            reader.close();
        }
        // Commands waiting for H2CData (or for budget) will never run: finish them so the core can clean up.
        deferredHead = null;
        deferredTail = null;
        for (TcpCommand c : commands) {
            if (c.state == TcpCommand.State.AWAIT_H2C_DATA || c.state == TcpCommand.State.DEFERRED) {
                c.releaseH2CData();
                c.state = TcpCommand.State.ACTIVE;
                c.request.complete(Status.ABORT_QUEUE | Status.DNR);
            }
        }
        if (session != null) {
            session.disconnected();
        }
        ctx.fireChannelInactive();
    }

    /**
     * A host sends ICReq and Fabrics Connect right after connecting; a connection that has not delivered its first
     * capsule in time (silent, or stalled in the middle of a PDU) only holds resources and is closed. Once a
     * controller exists its keep-alive timer takes over.
     */
    private void setupTimeout() {
        if (state == State.AWAIT_ICREQ || state == State.LIVE && !firstCapsuleSeen) {
            LOG.info("{}: no {} within {} ms, closing", peer, state == State.AWAIT_ICREQ ? "ICReq" : "command",
                    setupTimeoutMillis);
            state = State.CLOSED;
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (state == State.AWAIT_ICREQ || state == State.LIVE) {
                inReadBatch = true;
                reader.read(in);
            }
        } catch (NvmeTcpProtocolException e) {
            terminate(e);
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Backpressure: a host that does not read its responses stops being read from.
        if (state == State.LIVE) {
            channel.config().setAutoRead(channel.isWritable());
            if (channel.isWritable()) {
                startDeferred();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: connection error", peer, cause);
        ctx.close();
    }

    /** Sends a C2HTermReq for a fatal transport error and closes once it is written. */
    private void terminate(NvmeTcpProtocolException e) {
        if (state == State.TERMINATING || state == State.CLOSED) {
            return;
        }
        LOG.warn("{}: NVMe/TCP protocol error, terminating connection: {}", peer, e.getMessage());
        ByteBuf term = alloc.directBuffer(TermReqPdu.MAX_PLEN);
        C2HTermReqPdu.write(term, e.fes(), e.fei(), reader.offendingHeader());
        reader.close();
        state = State.TERMINATING;
        channel.config().setAutoRead(false);
        channel.writeAndFlush(term).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- PDU framing callbacks -----------------------------------------------------------------------------

    @Override
    public int maxDataLength(ByteBuf ch) throws NvmeTcpProtocolException {
        int type = PduHeader.type(ch);
        switch (type) {
            case PduType.IC_REQ:
                if (state != State.AWAIT_ICREQ) {
                    throw new NvmeTcpProtocolException(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, "second ICReq");
                }
                if (PduHeader.plen(ch) != IcReqPdu.HLEN) {
                    throw NvmeTcpProtocolException.badField(PduHeader.PLEN, "ICReq PLEN " + PduHeader.plen(ch));
                }
                return 0;
            case PduType.H2C_TERM_REQ:
                return TermReqPdu.MAX_ERROR_DATA;
            case PduType.CAPSULE_CMD:
                requireLive(type);
                return Math.max(ADMIN_INLINE_DATA_SIZE, ioInlineDataSize);
            case PduType.H2C_DATA:
                requireLive(type);
                return MAX_H2C_DATA;
            default:
                throw NvmeTcpProtocolException.badField(PduHeader.TYPE,
                        "PDU type " + PduType.name(type) + " not valid from a host");
        }
    }

    private void requireLive(int type) throws NvmeTcpProtocolException {
        if (state != State.LIVE) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0,
                    PduType.name(type) + " before ICReq");
        }
    }

    @Override
    public void onHeader(ByteBuf header, int dataLength) throws NvmeTcpProtocolException {
        int type = PduHeader.type(header);
        if (type == PduType.CAPSULE_CMD) {
            int limit = inlineLimit(CapsuleCommandPdu.sqe(header));
            if (dataLength > limit) {
                throw new NvmeTcpProtocolException(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, 0,
                        "in-capsule data " + dataLength + " > " + limit);
            }
        } else if (type == PduType.H2C_DATA) {
            checkH2CData(header, dataLength);
        }
    }

    @Override
    public void onPdu(ByteBuf header, ByteBuf data, boolean dataDigestValid) throws NvmeTcpProtocolException {
        switch (PduHeader.type(header)) {
            case PduType.IC_REQ:
                handleIcReq(header);
                break;
            case PduType.CAPSULE_CMD:
                handleCapsule(header, data, dataDigestValid);
                break;
            case PduType.H2C_DATA:
                handleH2CData(header, data, dataDigestValid);
                break;
            case PduType.H2C_TERM_REQ:
                if (data != null) {
                    data.release();
                }
                LOG.info("{}: host terminated the connection: FES {} FEI {}", peer,
                        TermReqPdu.fes(header), TermReqPdu.fei(header));
                state = State.CLOSED;
                reader.close();
                channel.close();
                break;
            default:
                throw new IllegalStateException("unexpected PDU type passed the framer");
        }
    }

    // ---- ICReq -------------------------------------------------------------------------------------------------

    private void handleIcReq(ByteBuf icreq) throws NvmeTcpProtocolException {
        if (IcReqPdu.pfv(icreq) != IcReqPdu.PFV_1_0) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcReqPdu.PFV,
                    "PFV " + IcReqPdu.pfv(icreq));
        }
        if (IcReqPdu.hpda(icreq) != 0) {
            // Like Linux: data is always placed right after the header; no host alignment padding.
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcReqPdu.HPDA,
                    "HPDA " + IcReqPdu.hpda(icreq));
        }
        int digest = IcReqPdu.digest(icreq) & (IcReqPdu.DGST_HEADER | IcReqPdu.DGST_DATA);
        hdgst = (digest & IcReqPdu.DGST_HEADER) != 0;
        ddgst = (digest & IcReqPdu.DGST_DATA) != 0;
        // MAXR2T needs no check: this target never has more than one R2T outstanding per command.
        ByteBuf resp = alloc.directBuffer(IcRespPdu.HLEN);
        IcRespPdu.write(resp, IcReqPdu.PFV_1_0, 0, digest, MAX_H2C_DATA);
        channel.write(resp, channel.voidPromise());
        reader.setDigests(hdgst, ddgst);
        state = State.LIVE;
        LOG.debug("{}: ICReq done, hdgst={} ddgst={}", peer, hdgst, ddgst);
    }

    // ---- capsules ----------------------------------------------------------------------------------------------

    private int inlineLimit(ByteBuf sqe) {
        boolean adminOrFabrics = qid <= 0 || SubmissionQueueEntry.opcode(sqe) == FabricsCommandType.OPCODE;
        return adminOrFabrics ? Math.max(ADMIN_INLINE_DATA_SIZE, ioInlineDataSize) : ioInlineDataSize;
    }

    private void handleCapsule(ByteBuf header, ByteBuf data, boolean dataDigestValid)
            throws NvmeTcpProtocolException {
        if (!firstCapsuleSeen) {
            firstCapsuleSeen = true;
            setupTimer.cancel(false);
        }
        ByteBuf pduSqe = CapsuleCommandPdu.sqe(header);
        if (SubmissionQueueEntry.opcode(pduSqe) == FabricsCommandType.OPCODE
                && FabricsCommandType.fctype(pduSqe) == FabricsCommandType.CONNECT) {
            qid = ConnectCommand.qid(pduSqe);   // CQE SQID, and which in-capsule limit applies
        }
        growSlotsToQueueSize();
        TcpCommand c = allocateCommand();
        if (c == null) {
            if (data != null) {
                data.release();
            }
            throw new NvmeTcpProtocolException(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0,
                    "more commands outstanding than the queue holds (" + commands.length + ")");
        }
        c.sqe.setBytes(0, pduSqe, 0, SubmissionQueueEntry.SIZE);
        NvmeRequest r = c.request;
        r.reset(c.sqe);
        c.state = TcpCommand.State.ACTIVE;
        if (!session.init(r)) {
            // The core completed it already (the slot may be free again); only the in-capsule data is ours.
            if (data != null) {
                data.release();
            }
            return;
        }
        int status = checkTransfer(r, data, dataDigestValid);
        if (status != Status.SUCCESS) {
            if (data != null) {
                data.release();
            }
            r.complete(status);
            return;
        }
        int length = r.transferLength();
        if (r.direction() == Direction.HOST_TO_CONTROLLER && data != null) {
            r.setData(data);
            session.execute(r);
            return;
        }
        if (data != null) {
            data.release();
        }
        if (length > 0 && r.direction() != Direction.NONE) {
            // R2T'd write data and read buffers count against the connection's data budget
            if (deferredHead == null && acquireBudget(length)) {
                startTransfer(c, length);
            } else {
                defer(c);
            }
            return;
        }
        session.execute(r);
    }

    /** Asks for the write data (R2T) or allocates the read buffer and executes; the budget is already held. */
    private void startTransfer(TcpCommand c, int length) {
        c.budgeted = length;
        if (c.request.direction() == Direction.HOST_TO_CONTROLLER) {
            requestData(c, length);
        } else {
            c.request.setData(alloc.directBuffer(length, length));
            session.execute(c.request);
        }
    }

    // ---- data budget -------------------------------------------------------------------------------------------

    /**
     * Bytes of a connection's commands in transfer may not exceed {@link #DATA_BUDGET} together with what still
     * waits in the outbound buffer: a host that floods reads and never reads the socket, or writes with huge
     * R2Ts, holds at most that much target memory. A single transfer is always allowed when nothing is in flight.
     */
    private boolean acquireBudget(int length) {
        long pending = pendingOutboundBytes();
        if (dataInFlight + pending + length > DATA_BUDGET && (dataInFlight > 0 || pending > 0)) {
            return false;
        }
        dataInFlight += length;
        return true;
    }

    private long pendingOutboundBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    private void defer(TcpCommand c) {
        c.state = TcpCommand.State.DEFERRED;
        c.nextDeferred = null;
        if (deferredTail == null) {
            deferredHead = c;
        } else {
            deferredTail.nextDeferred = c;
        }
        deferredTail = c;
    }

    private void unlinkDeferred(TcpCommand c) {
        TcpCommand prev = null;
        for (TcpCommand x = deferredHead; x != null; prev = x, x = x.nextDeferred) {
            if (x == c) {
                if (prev == null) {
                    deferredHead = c.nextDeferred;
                } else {
                    prev.nextDeferred = c.nextDeferred;
                }
                if (deferredTail == c) {
                    deferredTail = prev;
                }
                c.nextDeferred = null;
                return;
            }
        }
    }

    /** Starts deferred transfers, in arrival order, while the budget allows; not re-entrant. */
    private void startDeferred() {
        if (drainingDeferred) {
            return;
        }
        drainingDeferred = true;
        try {
            while (deferredHead != null && state == State.LIVE
                    && acquireBudget(deferredHead.request.transferLength())) {
                TcpCommand c = deferredHead;
                deferredHead = c.nextDeferred;
                if (deferredHead == null) {
                    deferredTail = null;
                }
                c.nextDeferred = null;
                c.state = TcpCommand.State.ACTIVE;
                startTransfer(c, c.request.transferLength());
            }
        } finally {
            drainingDeferred = false;
        }
    }

    /**
     * Checks the data pointer against what the core decided: in-capsule data (SGL Data Block, offset) or a
     * transport data block for R2T/C2HData (NVMe/TCP Transport 1.0, 3.3.5 / Linux nvmet_tcp_map_data).
     */
    private int checkTransfer(NvmeRequest r, ByteBuf data, boolean dataDigestValid) {
        if (!dataDigestValid) {
            return Status.TRANSIENT_TR_ERR;   // a data digest error is not fatal (NVMe/TCP 1.0, 3.3.4)
        }
        int length = r.transferLength();
        if (length < 0 || length > MAX_TRANSFER) {
            return Status.SGL_INVALID_DATA | Status.DNR;
        }
        if (length == 0 || r.direction() == Direction.NONE) {
            return Status.SUCCESS;
        }
        ByteBuf sqe = r.sqe();
        int sgl = SglDescriptor.identifier(sqe);
        if (sgl == SglDescriptor.ID_INCAPSULE) {
            if (r.direction() != Direction.HOST_TO_CONTROLLER) {
                return Status.INVALID_FIELD | Status.DNR;
            }
            if (length > inlineLimit(sqe)) {
                return Status.SGL_INVALID_OFFSET | Status.DNR;
            }
            if (SglDescriptor.address(sqe) != 0) {
                return Status.SGL_INVALID_OFFSET | Status.DNR;
            }
            if (data == null || data.readableBytes() != length) {
                return Status.SGL_INVALID_DATA | Status.DNR;
            }
            return Status.SUCCESS;
        }
        if (sgl == SglDescriptor.ID_TRANSPORT) {
            return data == null ? Status.SUCCESS : Status.SGL_INVALID_DATA | Status.DNR;
        }
        return Status.SGL_INVALID_TYPE | Status.DNR;
    }

    /** One R2T for the whole transfer; the slot index is the transfer tag. */
    private void requestData(TcpCommand c, int length) {
        c.state = TcpCommand.State.AWAIT_H2C_DATA;
        c.r2tLength = length;
        c.received = 0;
        c.dataDigestError = false;
        ByteBuf r2t = alloc.directBuffer(R2TPdu.HLEN + PduHeader.DIGEST_LENGTH);
        R2TPdu.write(r2t, hdgst, c.request.cid(), c.slot(), 0, length);
        channel.write(r2t, channel.voidPromise());
        afterWrite();
    }

    // ---- H2CData -----------------------------------------------------------------------------------------------

    private void checkH2CData(ByteBuf h, int dataLength) throws NvmeTcpProtocolException {
        int ttag = DataPdu.ttag(h);
        if (ttag >= commands.length || commands[ttag].state != TcpCommand.State.AWAIT_H2C_DATA) {
            throw NvmeTcpProtocolException.badField(DataPdu.TTAG, "H2CData for unknown TTAG " + ttag);
        }
        TcpCommand c = commands[ttag];
        if (DataPdu.cccid(h) != c.request.cid()) {
            throw NvmeTcpProtocolException.badField(DataPdu.CCCID, "H2CData CCCID " + DataPdu.cccid(h)
                    + " for TTAG " + ttag + " of CID " + c.request.cid());
        }
        long datal = DataPdu.datal(h);
        if (datal == 0 || datal != dataLength) {
            throw NvmeTcpProtocolException.badField(DataPdu.DATAL, "H2CData DATAL " + datal + ", PDU carries "
                    + dataLength);
        }
        long datao = DataPdu.datao(h);
        if (datao != c.received || datao + datal > c.r2tLength) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0,
                    "H2CData offset " + datao + " length " + datal + ", expected offset " + c.received
                    + " within " + c.r2tLength);
        }
        boolean last = (PduHeader.flags(h) & PduHeader.FLAG_LAST_PDU) != 0;
        if (last != (datao + datal == c.r2tLength)) {
            throw NvmeTcpProtocolException.badField(PduHeader.FLAGS, "LAST_PDU " + last + " at offset "
                    + (datao + datal) + " of " + c.r2tLength);
        }
    }

    private void handleH2CData(ByteBuf h, ByteBuf data, boolean dataDigestValid) {
        TcpCommand c = commands[DataPdu.ttag(h)];   // validated in checkH2CData
        if (c.h2cData == null) {
            c.h2cData = data;
        } else {
            CompositeByteBuf composite;
            if (c.h2cData instanceof CompositeByteBuf) {
                composite = (CompositeByteBuf) c.h2cData;
            } else {
                // Past this many pieces Netty consolidates: memory stays bounded by the R2T length.
                composite = alloc.compositeDirectBuffer(MAX_DATA_COMPONENTS);
                composite.addFlattenedComponents(true, c.h2cData);
                c.h2cData = composite;
            }
            composite.addFlattenedComponents(true, data);
        }
        c.received += data.readableBytes();
        c.dataDigestError |= !dataDigestValid;
        if (c.received < c.r2tLength) {
            return;
        }
        c.state = TcpCommand.State.ACTIVE;
        ByteBuf all = c.h2cData;
        c.h2cData = null;
        if (c.dataDigestError) {
            all.release();
            c.request.complete(Status.TRANSIENT_TR_ERR);
        } else {
            c.request.setData(all);
            session.execute(c.request);
        }
    }

    // ---- responses ---------------------------------------------------------------------------------------------

    @Override
    public void sendResponse(NvmeRequest request) {
        TcpCommand c = (TcpCommand) request.transportContext();
        if (loop.inEventLoop()) {
            writeResponse(c);
            return;
        }
        try {
            loop.execute(c);
        } catch (RejectedExecutionException e) {
            // The event loop is gone (transport stopped): nothing can be sent, just drop the buffer.
            ByteBuf data = request.data();
            request.setData(null);
            if (data != null) {
                data.release();
            }
        }
    }

    /** On the event loop: C2HData (for a successful read) and/or CapsuleResp, then frees the slot. */
    void writeResponse(TcpCommand c) {
        NvmeRequest r = c.request;
        ByteBuf data = r.data();
        r.setData(null);
        if (c.state == TcpCommand.State.FREE) {
            LOG.error("{}: second response for slot {} (CID {}) ignored", peer, c.slot(), r.cid());
            if (data != null) {
                data.release();
            }
            return;
        }
        // The core may finish a command that still waits for H2CData (e.g. controller teardown); late data for
        // it is then a protocol error.
        c.releaseH2CData();
        if (c.state == TcpCommand.State.DEFERRED) {
            unlinkDeferred(c);
        }
        dataInFlight -= c.budgeted;
        c.budgeted = 0;
        try {
            if (state != State.LIVE) {
                return;
            }
            boolean sendData = data != null && Status.isSuccess(r.status())
                    && r.direction() == Direction.CONTROLLER_TO_HOST && r.transferLength() > 0;
            if (sendData) {
                writeC2HData(r, data);
                data = null;
            } else {
                ByteBuf resp = alloc.directBuffer(CapsuleResponsePdu.HLEN + PduHeader.DIGEST_LENGTH);
                CapsuleResponsePdu.write(resp, hdgst, r.result(), r.sqHead(), sqId(), r.cid(), r.status());
                channel.write(resp, channel.voidPromise());
            }
            afterWrite();
        } finally {
            if (data != null) {
                data.release();
            }
            freeCommand(c);
        }
        if (deferredHead != null) {
            startDeferred();
        }
    }

    /**
     * One C2HData with LAST_PDU carrying the whole transfer, written as header + data (+ zero fill) + tail so the
     * data buffer goes to the socket without a copy; the tail holds the data digest and the CapsuleResp, which
     * is left out (SUCCESS flag) when SQ flow control is disabled and there is no result to report.
     */
    private void writeC2HData(NvmeRequest r, ByteBuf data) {
        int length = r.transferLength();
        if (data.readableBytes() > length) {
            data.writerIndex(data.readerIndex() + length);
        }
        int short_ = length - data.readableBytes();
        ByteBuf fill = short_ > 0 ? alloc.directBuffer(short_).writeZero(short_) : null;
        boolean success = session.sqFlowControlDisabled() && r.result() == 0;

        ByteBuf head = alloc.directBuffer(DataPdu.HLEN + PduHeader.DIGEST_LENGTH);
        C2HDataPdu.writeHeader(head, hdgst, ddgst, r.cid(), 0, length, true, success);
        int tailLength = (ddgst ? PduHeader.DIGEST_LENGTH : 0)
                + (success ? 0 : CapsuleResponsePdu.HLEN + PduHeader.DIGEST_LENGTH);
        ByteBuf tail = tailLength > 0 ? alloc.directBuffer(tailLength) : null;
        if (ddgst) {
            sendCrc.reset();
            Crc32c.update(sendCrc, data, data.readerIndex(), data.readableBytes());
            if (fill != null) {
                Crc32c.update(sendCrc, fill, fill.readerIndex(), fill.readableBytes());
            }
            tail.writeIntLE((int) sendCrc.getValue());
        }
        if (!success) {
            CapsuleResponsePdu.write(tail, hdgst, r.result(), r.sqHead(), sqId(), r.cid(), r.status());
        }
        channel.write(head, channel.voidPromise());
        channel.write(data, channel.voidPromise());
        if (fill != null) {
            channel.write(fill, channel.voidPromise());
        }
        if (tail != null) {
            channel.write(tail, channel.voidPromise());
        }
    }

    private int sqId() {
        return Math.max(qid, 0);
    }

    private void afterWrite() {
        if (!inReadBatch && !flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);   // runs after the responses already queued: one flush for the batch
        }
    }

    private void scheduledFlush() {
        flushScheduled = false;
        channel.flush();
    }

    // ---- slot pool ---------------------------------------------------------------------------------------------

    private void growSlotsToQueueSize() {
        int queueSize = session.queueSize();
        if (queueSize > 0) {
            int want = Math.min(2 * queueSize, MAX_SLOTS);
            if (want > commands.length) {
                growSlots(want);
            }
        }
    }

    private void growSlots(int count) {
        TcpCommand[] grown = java.util.Arrays.copyOf(commands, count);
        int[] free = java.util.Arrays.copyOf(freeSlots, count);
        for (int i = commands.length; i < count; i++) {
            grown[i] = new TcpCommand(this, i);
            free[freeCount++] = i;
        }
        commands = grown;
        freeSlots = free;
    }

    private TcpCommand allocateCommand() {
        return freeCount == 0 ? null : commands[freeSlots[--freeCount]];
    }

    private void freeCommand(TcpCommand c) {
        if (c.state == TcpCommand.State.FREE) {
            return;
        }
        c.state = TcpCommand.State.FREE;
        freeSlots[freeCount++] = c.slot();
    }

    // ---- TransportQueue ----------------------------------------------------------------------------------------

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public ByteBufAllocator allocator() {
        return alloc;
    }

    @Override
    public int inlineDataSize() {
        return ioInlineDataSize;
    }

    @Override
    public int maxSglDescriptors() {
        return 1;
    }

    @Override
    public String peerAddress() {
        return peer;
    }

    @Override
    public String localAddress() {
        return local;
    }

    /** Command slots currently allocated (for tests and diagnostics). */
    int slotCount() {
        return commands.length;
    }
}
