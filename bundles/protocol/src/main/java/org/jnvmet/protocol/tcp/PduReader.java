package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.zip.CRC32C;

/**
 * Incremental NVMe/TCP PDU framer shared by the target and the host. Bytes arrive in arbitrary pieces; the reader
 * copies only the (at most 132-byte) header into a fixed buffer and hands PDU data on as retained slices of the
 * received buffers (a composite when the data spans several), so nothing is allocated in proportion to a length
 * field. Every length is bounded as soon as the 8-byte common header is in: the handler names the largest data a
 * PDU of that type may carry, and PLEN must agree with HLEN, PDO and the negotiated digests (NVMe/TCP Transport
 * 1.0, 3.6.1 and 3.3.4). Violations throw {@link NvmeTcpProtocolException} with the FES/FEI to report.
 *
 * <p>Not thread-safe: use from the connection's I/O thread.
 */
public final class PduReader {
    /** Receives PDUs from a {@link PduReader}. */
    public interface Handler {
        /**
         * The 8-byte common header of a new PDU arrived (index 0, see {@link PduHeader}). Returns the most data
         * bytes a PDU of this type may carry now; throws when the type is not acceptable (unknown, wrong
         * direction, wrong connection state) or a field the generic checks do not cover is wrong.
         */
        int maxDataLength(ByteBuf commonHeader) throws NvmeTcpProtocolException;

        /**
         * The whole header (HLEN bytes from index 0, digest verified) arrived and {@code dataLength} data bytes
         * follow. Validate the PDU specific fields here. The buffer is reused once the PDU is complete.
         */
        void onHeader(ByteBuf header, int dataLength) throws NvmeTcpProtocolException;

        /**
         * The PDU is complete. {@code data} (null when none) belongs to the handler from here on, even when it
         * throws. {@code dataDigestValid} is false when a data digest was carried and did not match.
         */
        void onPdu(ByteBuf header, ByteBuf data, boolean dataDigestValid) throws NvmeTcpProtocolException;
    }

    private enum State { COMMON_HEADER, HEADER, PAD, DATA, DATA_DIGEST, CLOSED }

    /** Components a multi-piece data composite may have before Netty consolidates it (bounded by the data length). */
    private static final int MAX_DATA_COMPONENTS = 1024;

    private final ByteBufAllocator alloc;
    private final Handler handler;
    private final ByteBuf header = Unpooled.buffer(PduHeader.MAX_HLEN + PduHeader.DIGEST_LENGTH);
    private final CRC32C crc = new CRC32C();
    private boolean hdgst;
    private boolean ddgst;
    private int dataAlignment = 4;

    private State state = State.COMMON_HEADER;
    private int need = PduHeader.SIZE;
    private int hlen;
    private boolean pduHdgst;
    private boolean pduDdgst;
    private int dataLength;
    private int padLength;
    private ByteBuf data;
    private int receivedDigest;
    private int digestBytes;

    public PduReader(ByteBufAllocator alloc, Handler handler) {
        this.alloc = alloc;
        this.handler = handler;
    }

    /** Digests negotiated by ICReq/ICResp; apply to every following PDU except terminate requests. */
    public void setDigests(boolean headerDigest, boolean dataDigest) {
        this.hdgst = headerDigest;
        this.ddgst = dataDigest;
    }

    /** PDU data alignment the peer must honour: (xPDA + 1) * 4 bytes. */
    public void setDataAlignment(int pda) {
        this.dataAlignment = (pda + 1) * 4;
    }

    public boolean headerDigest() {
        return hdgst;
    }

    public boolean dataDigest() {
        return ddgst;
    }

    /** True while no PDU is partially received. */
    public boolean idle() {
        return state == State.COMMON_HEADER && need == PduHeader.SIZE;
    }

    /**
     * The header bytes of the PDU being received (at most 128), for the error data of a terminate request. The
     * view is valid until the next {@link #read}.
     */
    public ByteBuf offendingHeader() {
        return header.slice(0, Math.min(header.writerIndex(), TermReqPdu.MAX_ERROR_DATA));
    }

    /**
     * Consumes all readable bytes of {@code in} (which stays owned by the caller), delivering each completed PDU.
     * After an exception, or after {@link #close}, the reader accepts nothing more.
     */
    public void read(ByteBuf in) throws NvmeTcpProtocolException {
        try {
            while (in.isReadable() && state != State.CLOSED) {
                switch (state) {
                    case COMMON_HEADER:
                        if (copyHeader(in)) {
                            startPdu();
                        }
                        break;
                    case HEADER:
                        if (copyHeader(in)) {
                            headerComplete();
                        }
                        break;
                    case PAD:
                        int skip = Math.min(need, in.readableBytes());
                        in.skipBytes(skip);
                        need -= skip;
                        if (need == 0) {
                            startData();
                        }
                        break;
                    case DATA:
                        readData(in);
                        break;
                    case DATA_DIGEST:
                        while (need > 0 && in.isReadable()) {
                            receivedDigest |= in.readUnsignedByte() << (8 * digestBytes++);
                            need--;
                        }
                        if (need == 0) {
                            finishPdu();
                        }
                        break;
                    default:
                        throw new IllegalStateException(state.name());
                }
            }
        } catch (NvmeTcpProtocolException | RuntimeException e) {
            releaseData();
            state = State.CLOSED;
            throw e;
        }
    }

    /** Stops reading and releases a partially received PDU's data. Idempotent. */
    public void close() {
        state = State.CLOSED;
        releaseData();
    }

    private boolean copyHeader(ByteBuf in) {
        int n = Math.min(need, in.readableBytes());
        in.readBytes(header, n);
        need -= n;
        return need == 0;
    }

    private void startPdu() throws NvmeTcpProtocolException {
        int type = header.getUnsignedByte(PduHeader.TYPE);
        int flags = header.getUnsignedByte(PduHeader.FLAGS);
        hlen = header.getUnsignedByte(PduHeader.HLEN);
        int pdo = header.getUnsignedByte(PduHeader.PDO);
        long plen = header.getUnsignedIntLE(PduHeader.PLEN);

        int maxData = handler.maxDataLength(header);
        if (hlen != PduType.headerLength(type)) {
            throw NvmeTcpProtocolException.badField(PduHeader.HLEN, "HLEN " + hlen + " for " + PduType.name(type));
        }
        boolean digestable = !PduType.neverDigested(type);
        pduHdgst = digestable && hdgst;
        if (digestable && ((flags & PduHeader.FLAG_HDGST) != 0) != hdgst) {
            throw NvmeTcpProtocolException.badField(PduHeader.FLAGS, "HDGSTF does not match negotiated digest");
        }
        int headerEnd = hlen + (pduHdgst ? PduHeader.DIGEST_LENGTH : 0);
        if (plen < headerEnd) {
            throw NvmeTcpProtocolException.badField(PduHeader.PLEN, "PLEN " + plen + " < header " + headerEnd);
        }
        int pad = 0;
        long dataLen = 0;
        pduDdgst = false;
        if (plen > headerEnd) {
            if (!digestable) {
                dataLen = plen - hlen;   // terminate request error data: no PDO, no digests
            } else {
                if (pdo < headerEnd || pdo % dataAlignment != 0 || pdo > plen) {
                    throw NvmeTcpProtocolException.badField(PduHeader.PDO, "PDO " + pdo + " with PLEN " + plen);
                }
                if (((flags & PduHeader.FLAG_DDGST) != 0) != ddgst) {
                    throw NvmeTcpProtocolException.badField(PduHeader.FLAGS,
                            "DDGSTF does not match negotiated digest");
                }
                pduDdgst = ddgst;
                pad = pdo - headerEnd;
                dataLen = plen - pdo - (pduDdgst ? PduHeader.DIGEST_LENGTH : 0);
                if (dataLen <= 0) {
                    throw NvmeTcpProtocolException.badField(PduHeader.PLEN, "PLEN " + plen + " leaves no data");
                }
            }
            if (dataLen > maxData) {
                throw new NvmeTcpProtocolException(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, 0,
                        PduType.name(type) + " carries " + dataLen + " data bytes, limit " + maxData);
            }
        }
        dataLength = (int) dataLen;
        padLength = pad;
        need = headerEnd - PduHeader.SIZE;   // every PDU type has HLEN > 8
        state = State.HEADER;
    }

    private void headerComplete() throws NvmeTcpProtocolException {
        if (pduHdgst) {
            int expected = Crc32c.compute(header, 0, hlen);
            int received = header.getIntLE(hlen);
            if (expected != received) {
                throw new NvmeTcpProtocolException(FatalErrorStatus.HEADER_DIGEST_ERROR, 0,
                        String.format("header digest %08x, expected %08x", received, expected));
            }
        }
        header.writerIndex(hlen);
        handler.onHeader(header, dataLength);
        if (dataLength == 0) {
            finishPdu();
        } else if (padLength > 0) {
            state = State.PAD;
            need = padLength;
        } else {
            startData();
        }
    }

    private void startData() {
        state = State.DATA;
        need = dataLength;
        crc.reset();
    }

    private void readData(ByteBuf in) throws NvmeTcpProtocolException {
        int n = Math.min(need, in.readableBytes());
        ByteBuf part = in.readRetainedSlice(n);
        if (pduDdgst) {
            Crc32c.update(crc, part, part.readerIndex(), n);
        }
        if (data == null) {
            if (n == dataLength) {
                data = part;
            } else {
                CompositeByteBuf composite = alloc.compositeDirectBuffer(MAX_DATA_COMPONENTS);
                composite.addComponent(true, part);
                data = composite;
            }
        } else {
            ((CompositeByteBuf) data).addComponent(true, part);
        }
        need -= n;
        if (need == 0) {
            if (pduDdgst) {
                state = State.DATA_DIGEST;
                need = PduHeader.DIGEST_LENGTH;
                receivedDigest = 0;
                digestBytes = 0;
            } else {
                finishPdu();
            }
        }
    }

    private void finishPdu() throws NvmeTcpProtocolException {
        boolean digestValid = !pduDdgst || receivedDigest == (int) crc.getValue();
        ByteBuf d = data;
        data = null;
        state = State.COMMON_HEADER;
        need = PduHeader.SIZE;
        handler.onPdu(header, d, digestValid);
        header.clear();   // kept on an exception: it is the error data of the terminate request
    }

    private void releaseData() {
        if (data != null) {
            data.release();
            data = null;
        }
    }
}
