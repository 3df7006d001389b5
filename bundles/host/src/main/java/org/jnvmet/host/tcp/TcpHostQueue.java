package org.jnvmet.host.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.protocol.tcp.CapsuleCommandPdu;
import org.jnvmet.protocol.tcp.CapsuleResponsePdu;
import org.jnvmet.protocol.tcp.Crc32c;
import org.jnvmet.protocol.tcp.DataPdu;
import org.jnvmet.protocol.tcp.FatalErrorStatus;
import org.jnvmet.protocol.tcp.H2CDataPdu;
import org.jnvmet.protocol.tcp.H2CTermReqPdu;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.protocol.tcp.IcRespPdu;
import org.jnvmet.protocol.tcp.NvmeTcpProtocolException;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduReader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.R2TPdu;
import org.jnvmet.protocol.tcp.TermReqPdu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host queue over one TCP connection (the role of Linux's {@code struct nvme_tcp_queue}). Submissions from
 * any thread hop onto the channel's event loop, where the in-flight table lives; completions are delivered there.
 */
final class TcpHostQueue extends ChannelInboundHandlerAdapter implements HostQueue, PduReader.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TcpHostQueue.class);
    /** Coarse bound on one C2HData PDU before its command is known; then its dataIn bounds it exactly. */
    private static final int MAX_C2H_DATA = 64 << 20;
    /** SQHD reported for a command the target completed with the C2HData SUCCESS flag (no CQE). */
    private static final int NO_SQ_HEAD = 0xFFFF;

    /** One command in flight. */
    private static final class Command {
        final int cid;
        final HostCompletion callback;
        final ByteBuf capsule;
        /** Retained view of the write data (null for none); in-capsule when {@code inline}. */
        ByteBuf dataOut;
        final boolean inline;
        ByteBuf dataIn;
        final int dataInBase;
        final int dataInLength;
        int received;
        int sent;
        boolean digestError;

        Command(int cid, HostCompletion callback, ByteBuf capsule, ByteBuf dataOut, boolean inline, ByteBuf dataIn) {
            this.cid = cid;
            this.callback = callback;
            this.capsule = capsule;
            this.dataOut = dataOut;
            this.inline = inline;
            this.dataIn = dataIn;
            this.dataInBase = dataIn == null ? 0 : dataIn.writerIndex();
            this.dataInLength = dataIn == null ? 0 : dataIn.writableBytes();
        }

        void releaseBuffers() {
            if (dataOut != null) {
                dataOut.release();
                dataOut = null;
            }
            if (dataIn != null) {
                dataIn.release();
                dataIn = null;
            }
        }
    }

    private final int qid;
    private final NvmeTcpHostOptions options;
    private final int ioInlineDataSize;
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final IntObjectHashMap<Command> inFlight = new IntObjectHashMap<>();
    private final Runnable flushTask = this::scheduledFlush;

    private Channel channel;
    private EventLoop loop;
    private ByteBufAllocator alloc;
    private PduReader reader;
    private volatile boolean live;
    private volatile boolean hdgst;
    private volatile boolean ddgst;
    private volatile int maxH2CData;
    private boolean terminating;
    private boolean flushScheduled;

    TcpHostQueue(int qid, NvmeTcpHostOptions options) {
        this.qid = qid;
        this.options = options;
        this.ioInlineDataSize = options.ioInlineDataSize();
    }

    /** Completes once ICResp arrived and was acceptable. */
    CompletableFuture<Void> handshake() {
        return handshake;
    }

    // ---- channel lifecycle -------------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = channel.eventLoop();
        alloc = channel.alloc();
        reader = new PduReader(alloc, this);
        int digest = (options.headerDigest() ? IcReqPdu.DGST_HEADER : 0)
                | (options.dataDigest() ? IcReqPdu.DGST_DATA : 0);
        ByteBuf icreq = alloc.directBuffer(IcReqPdu.HLEN);
        IcReqPdu.write(icreq, IcReqPdu.PFV_1_0, 0, digest, 0);
        ctx.writeAndFlush(icreq, channel.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        live = false;
        if (reader != null) {
            reader.close();
        }
        handshake.completeExceptionally(new IOException("connection closed before ICResp"));
        failAll(new IOException("NVMe/TCP connection to " + channel.remoteAddress() + " closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (!terminating) {
                reader.read(in);
            }
        } catch (NvmeTcpProtocolException e) {
            terminate(e);
        } finally {
            in.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("queue {}: connection error", qid, cause);
        failAll(cause instanceof IOException ? (IOException) cause : new IOException(cause));
        ctx.close();
    }

    private void terminate(NvmeTcpProtocolException e) {
        LOG.warn("queue {}: target violated NVMe/TCP, terminating: {}", qid, e.getMessage());
        terminating = true;
        live = false;
        ByteBuf term = alloc.directBuffer(TermReqPdu.MAX_PLEN);
        H2CTermReqPdu.write(term, e.fes(), e.fei(), reader.offendingHeader());
        reader.close();
        handshake.completeExceptionally(new IOException(e.getMessage(), e));
        failAll(new IOException("NVMe/TCP protocol error: " + e.getMessage(), e));
        channel.writeAndFlush(term).addListener(ChannelFutureListener.CLOSE);
    }

    private void failAll(Throwable cause) {
        if (inFlight.isEmpty()) {
            return;
        }
        List<Command> all = new ArrayList<>(inFlight.values());
        inFlight.clear();
        for (Command c : all) {
            c.releaseBuffers();
            c.callback.failed(cause);
        }
    }

    // ---- PDU framing callbacks -----------------------------------------------------------------------------

    @Override
    public int maxDataLength(ByteBuf ch) throws NvmeTcpProtocolException {
        int type = PduHeader.type(ch);
        switch (type) {
            case PduType.IC_RESP:
                if (live) {
                    throw new NvmeTcpProtocolException(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, "second ICResp");
                }
                if (PduHeader.plen(ch) != IcRespPdu.HLEN) {
                    throw NvmeTcpProtocolException.badField(PduHeader.PLEN, "ICResp PLEN " + PduHeader.plen(ch));
                }
                return 0;
            case PduType.C2H_TERM_REQ:
                return TermReqPdu.MAX_ERROR_DATA;
            case PduType.CAPSULE_RESP:
            case PduType.R2T:
                requireLive(type);
                return 0;
            case PduType.C2H_DATA:
                requireLive(type);
                return MAX_C2H_DATA;
            default:
                throw NvmeTcpProtocolException.badField(PduHeader.TYPE,
                        "PDU type " + PduType.name(type) + " not valid from a controller");
        }
    }

    private void requireLive(int type) throws NvmeTcpProtocolException {
        if (!live) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0,
                    PduType.name(type) + " before ICResp");
        }
    }

    @Override
    public void onHeader(ByteBuf h, int dataLength) throws NvmeTcpProtocolException {
        if (PduHeader.type(h) != PduType.C2H_DATA) {
            return;
        }
        Command c = inFlight.get(DataPdu.cccid(h));
        if (c == null || c.dataIn == null) {
            throw NvmeTcpProtocolException.badField(DataPdu.CCCID, "C2HData for CID " + DataPdu.cccid(h)
                    + " which reads no data");
        }
        long datao = DataPdu.datao(h);
        long datal = DataPdu.datal(h);
        if (datal != dataLength) {
            throw NvmeTcpProtocolException.badField(DataPdu.DATAL, "C2HData DATAL " + datal + ", PDU carries "
                    + dataLength);
        }
        if (datao != c.received || datao + datal > c.dataInLength) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0,
                    "C2HData offset " + datao + " length " + datal + " for a " + c.dataInLength + "-byte read");
        }
        int flags = PduHeader.flags(h);
        if ((flags & PduHeader.FLAG_SUCCESS) != 0 && (flags & PduHeader.FLAG_LAST_PDU) == 0) {
            throw NvmeTcpProtocolException.badField(PduHeader.FLAGS, "SUCCESS without LAST_PDU");
        }
    }

    @Override
    public void onPdu(ByteBuf h, ByteBuf data, boolean dataDigestValid) throws NvmeTcpProtocolException {
        switch (PduHeader.type(h)) {
            case PduType.IC_RESP:
                handleIcResp(h);
                break;
            case PduType.CAPSULE_RESP:
                handleResponse(h);
                break;
            case PduType.C2H_DATA:
                handleC2HData(h, data, dataDigestValid);
                break;
            case PduType.R2T:
                handleR2T(h);
                break;
            case PduType.C2H_TERM_REQ:
                if (data != null) {
                    data.release();
                }
                String why = "target terminated the connection: "
                        + FatalErrorStatus.name(TermReqPdu.fes(h)) + " (FEI " + TermReqPdu.fei(h) + ")";
                LOG.warn("queue {}: {}", qid, why);
                terminating = true;
                live = false;
                reader.close();
                handshake.completeExceptionally(new IOException(why));
                failAll(new IOException(why));
                channel.close();
                break;
            default:
                throw new IllegalStateException("unexpected PDU type passed the framer");
        }
    }

    private void handleIcResp(ByteBuf resp) throws NvmeTcpProtocolException {
        if (IcRespPdu.pfv(resp) != IcReqPdu.PFV_1_0) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcRespPdu.PFV, "PFV");
        }
        if (IcRespPdu.cpda(resp) != 0) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcRespPdu.CPDA,
                    "CPDA " + IcRespPdu.cpda(resp));
        }
        int wanted = (options.headerDigest() ? IcReqPdu.DGST_HEADER : 0)
                | (options.dataDigest() ? IcReqPdu.DGST_DATA : 0);
        if (IcRespPdu.digest(resp) != wanted) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcRespPdu.DGST,
                    "ICResp digest " + IcRespPdu.digest(resp) + ", requested " + wanted);
        }
        long maxData = IcRespPdu.maxh2cdata(resp);
        if (maxData < IcRespPdu.MIN_MAXH2CDATA || maxData % 4 != 0) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcRespPdu.MAXH2CDATA,
                    "MAXH2CDATA " + maxData);
        }
        maxH2CData = (int) Math.min(maxData, Integer.MAX_VALUE & ~3);
        hdgst = options.headerDigest();
        ddgst = options.dataDigest();
        reader.setDigests(hdgst, ddgst);
        live = true;
        handshake.complete(null);
    }

    private void handleResponse(ByteBuf h) throws NvmeTcpProtocolException {
        ByteBuf cqe = CapsuleResponsePdu.cqe(h);
        int cid = CompletionQueueEntry.cid(cqe);
        Command c = inFlight.remove(cid);
        if (c == null) {
            throw NvmeTcpProtocolException.badField(CapsuleResponsePdu.CQE + CompletionQueueEntry.CID,
                    "CapsuleResp for unknown CID " + cid);
        }
        if (c.dataIn != null) {
            c.dataIn.writerIndex(c.dataInBase + c.received);
        }
        c.releaseBuffers();
        int status = CompletionQueueEntry.status(cqe);
        if (c.digestError && Status.isSuccess(status)) {
            status = Status.TRANSIENT_TR_ERR;
        }
        c.callback.completed(CompletionQueueEntry.result(cqe), CompletionQueueEntry.sqHead(cqe), status);
    }

    private void handleC2HData(ByteBuf h, ByteBuf data, boolean dataDigestValid) {
        Command c = inFlight.get(DataPdu.cccid(h));   // validated in onHeader
        try {
            int len = data.readableBytes();
            c.dataIn.setBytes(c.dataInBase + c.received, data, data.readerIndex(), len);
            c.received += len;
        } finally {
            data.release();
        }
        c.digestError |= !dataDigestValid;
        if ((PduHeader.flags(h) & PduHeader.FLAG_SUCCESS) != 0) {
            inFlight.remove(c.cid);
            c.dataIn.writerIndex(c.dataInBase + c.received);
            c.releaseBuffers();
            c.callback.completed(0, NO_SQ_HEAD, c.digestError ? Status.TRANSIENT_TR_ERR : Status.SUCCESS);
        }
    }

    /** Sends the requested write data, split into H2CData PDUs of at most MAXH2CDATA, LAST_PDU on the final one. */
    private void handleR2T(ByteBuf h) throws NvmeTcpProtocolException {
        int cid = R2TPdu.cccid(h);
        Command c = inFlight.get(cid);
        if (c == null || c.dataOut == null || c.inline) {
            throw NvmeTcpProtocolException.badField(R2TPdu.CCCID, "R2T for CID " + cid + " which writes no data");
        }
        long offset = R2TPdu.r2to(h);
        long length = R2TPdu.r2tl(h);
        if (length == 0 || offset != c.sent || offset + length > c.dataOut.readableBytes()) {
            throw new NvmeTcpProtocolException(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0,
                    "R2T offset " + offset + " length " + length + " for a " + c.dataOut.readableBytes()
                    + "-byte write");
        }
        int ttag = R2TPdu.ttag(h);
        int off = (int) offset;
        int end = (int) (offset + length);
        while (off < end) {
            int n = Math.min(end - off, maxH2CData);
            ByteBuf head = alloc.directBuffer(DataPdu.HLEN + PduHeader.DIGEST_LENGTH);
            H2CDataPdu.writeHeader(head, hdgst, ddgst, cid, ttag, off, n, off + n == end);
            channel.write(head, channel.voidPromise());
            ByteBuf piece = c.dataOut.retainedSlice(c.dataOut.readerIndex() + off, n);
            if (ddgst) {
                ByteBuf digest = alloc.directBuffer(PduHeader.DIGEST_LENGTH).writeIntLE(Crc32c.compute(piece));
                channel.write(piece, channel.voidPromise());
                channel.write(digest, channel.voidPromise());
            } else {
                channel.write(piece, channel.voidPromise());
            }
            off += n;
        }
        c.sent = end;
        // channelReadComplete flushes
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    // ---- submission --------------------------------------------------------------------------------------------

    @Override
    public void submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn, HostCompletion callback) {
        if (!live) {
            callback.failed(new IOException("queue " + qid + " is not open"));
            return;
        }
        ByteBuf s = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
        s.writeBytes(sqe, sqe.readerIndex(), SubmissionQueueEntry.SIZE);
        int outLength = dataOut == null ? 0 : dataOut.readableBytes();
        boolean inline;
        if (dptrIsZero(s)) {
            inline = outLength > 0 && outLength <= inlineLimit(s);
            int sglLength = outLength > 0 ? outLength : dataIn == null ? 0 : dataIn.writableBytes();
            SglDescriptor.set(s, inline ? SglDescriptor.ID_INCAPSULE : SglDescriptor.ID_TRANSPORT, 0, sglLength);
        } else {
            inline = outLength > 0 && SglDescriptor.identifier(s) == SglDescriptor.ID_INCAPSULE;
        }
        boolean h = hdgst;
        boolean d = ddgst;
        ByteBuf capsule = alloc.directBuffer(CapsuleCommandPdu.HLEN + PduHeader.DIGEST_LENGTH);
        CapsuleCommandPdu.writeHeader(capsule, s, h, d, inline ? outLength : 0);
        ByteBuf out = outLength > 0 ? dataOut.retainedSlice() : null;
        Command c = new Command(SubmissionQueueEntry.cid(s), callback, capsule, out, inline,
                dataIn == null ? null : dataIn.retain());
        if (loop.inEventLoop()) {
            start(c);
        } else {
            try {
                loop.execute(() -> start(c));
            } catch (RejectedExecutionException e) {
                capsule.release();
                c.releaseBuffers();
                callback.failed(new IOException("queue " + qid + " event loop stopped", e));
            }
        }
    }

    private static boolean dptrIsZero(ByteBuf sqe) {
        return sqe.getLong(SubmissionQueueEntry.DPTR) == 0 && sqe.getLong(SubmissionQueueEntry.DPTR + 8) == 0;
    }

    private int inlineLimit(ByteBuf sqe) {
        boolean adminOrFabrics = qid == 0 || SubmissionQueueEntry.opcode(sqe) == FabricsCommandType.OPCODE;
        return adminOrFabrics ? NvmeTcpHostOptions.ADMIN_INLINE_DATA_SIZE : ioInlineDataSize;
    }

    private void start(Command c) {
        if (!live || !channel.isActive()) {
            c.capsule.release();
            c.releaseBuffers();
            c.callback.failed(new IOException("queue " + qid + " closed"));
            return;
        }
        if (inFlight.containsKey(c.cid)) {
            c.capsule.release();
            c.releaseBuffers();
            c.callback.failed(new IllegalStateException("CID " + c.cid + " is already in flight"));
            return;
        }
        inFlight.put(c.cid, c);
        channel.write(c.capsule, channel.voidPromise());
        if (c.inline) {
            ByteBuf data = c.dataOut;
            c.dataOut = null;   // handed to the channel
            if (ddgst) {
                ByteBuf digest = alloc.directBuffer(PduHeader.DIGEST_LENGTH).writeIntLE(Crc32c.compute(data));
                channel.write(data, channel.voidPromise());
                channel.write(digest, channel.voidPromise());
            } else {
                channel.write(data, channel.voidPromise());
            }
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);   // one flush for every submission queued so far
        }
    }

    private void scheduledFlush() {
        flushScheduled = false;
        channel.flush();
    }

    @Override
    public int maxInlineData() {
        return qid == 0 ? NvmeTcpHostOptions.ADMIN_INLINE_DATA_SIZE : ioInlineDataSize;
    }

    @Override
    public boolean isOpen() {
        return live && channel.isActive();
    }

    @Override
    public void close() {
        live = false;
        var f = channel.close();
        if (!loop.inEventLoop()) {
            f.awaitUninterruptibly(5_000);
        }
    }
}
