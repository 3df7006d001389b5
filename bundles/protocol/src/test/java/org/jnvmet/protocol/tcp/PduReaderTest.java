package org.jnvmet.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PduReaderTest {
    private static final int MAX_DATA = 16384;

    private final List<byte[]> headers = new ArrayList<>();
    private final List<byte[]> datas = new ArrayList<>();
    private final List<Boolean> digestOk = new ArrayList<>();
    private final List<ByteBuf> toRelease = new ArrayList<>();

    private final PduReader.Handler handler = new PduReader.Handler() {
        @Override
        public int maxDataLength(ByteBuf ch) throws NvmeTcpProtocolException {
            int type = PduHeader.type(ch);
            if (type != PduType.CAPSULE_CMD && type != PduType.H2C_DATA && type != PduType.IC_REQ
                    && type != PduType.H2C_TERM_REQ) {
                throw NvmeTcpProtocolException.badField(PduHeader.TYPE, "type " + type);
            }
            return type == PduType.H2C_TERM_REQ ? TermReqPdu.MAX_ERROR_DATA : MAX_DATA;
        }

        @Override
        public void onHeader(ByteBuf header, int dataLength) {
            headers.add(ByteBufUtil.getBytes(header));
        }

        @Override
        public void onPdu(ByteBuf header, ByteBuf data, boolean valid) {
            datas.add(data == null ? null : ByteBufUtil.getBytes(data));
            digestOk.add(valid);
            if (data != null) {
                data.release();
            }
        }
    };

    private final PduReader reader = new PduReader(PooledByteBufAllocator.DEFAULT, handler);

    @AfterEach
    void release() {
        reader.close();
        toRelease.forEach(ByteBuf::release);
    }

    private ByteBuf capsule(boolean hdgst, boolean ddgst, byte[] data) {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        sqe.setByte(0, 0x01);
        ByteBuf b = Unpooled.buffer();
        CapsuleCommandPdu.writeHeader(b, sqe, hdgst, ddgst, data.length);
        b.writeBytes(data);
        if (ddgst && data.length > 0) {
            b.writeIntLE(Crc32c.compute(Unpooled.wrappedBuffer(data)));
        }
        return b;
    }

    /** Feeds {@code wire} in pieces of the given sizes, each in its own pooled direct buffer. */
    private void feed(ByteBuf wire, int... pieces) throws NvmeTcpProtocolException {
        int i = 0;
        while (wire.isReadable()) {
            int n = Math.min(wire.readableBytes(), pieces.length == 0 ? wire.readableBytes()
                    : pieces[i++ % pieces.length]);
            ByteBuf piece = PooledByteBufAllocator.DEFAULT.directBuffer(n);
            piece.writeBytes(wire, n);
            try {
                reader.read(piece);
            } finally {
                piece.release();
            }
        }
    }

    @Test
    void capsuleWithDataAnyFragmentation() throws Exception {
        byte[] data = new byte[3000];
        new Random(1).nextBytes(data);
        for (int piece : new int[] {1, 7, 72, 100, 4096, 100_000}) {
            for (boolean dg : new boolean[] {false, true}) {
                headers.clear();
                datas.clear();
                digestOk.clear();
                reader.setDigests(dg, dg);
                ByteBuf wire = Unpooled.buffer();
                wire.writeBytes(capsule(dg, dg, data));
                wire.writeBytes(capsule(dg, dg, new byte[0]));
                feed(wire, piece);
                assertEquals(2, headers.size(), "piece " + piece);
                assertEquals(72, headers.get(0).length);
                assertArrayEquals(data, datas.get(0));
                assertNull(datas.get(1));
                assertEquals(List.of(true, true), digestOk);
                assertTrue(reader.idle());
            }
        }
    }

    @Test
    void badDataDigestIsReportedNotFatal() throws Exception {
        reader.setDigests(false, true);
        byte[] data = new byte[100];
        ByteBuf wire = capsule(false, true, data);
        wire.setByte(wire.writerIndex() - 1, wire.getByte(wire.writerIndex() - 1) ^ 1);
        wire.writeBytes(capsule(false, true, data));
        feed(wire, 13);
        assertEquals(List.of(false, true), digestOk);
    }

    @Test
    void badHeaderDigestIsFatal() {
        reader.setDigests(true, false);
        ByteBuf wire = capsule(true, false, new byte[0]);
        wire.setByte(72, wire.getByte(72) ^ 0x10);
        NvmeTcpProtocolException e = assertThrows(NvmeTcpProtocolException.class, () -> feed(wire));
        assertEquals(FatalErrorStatus.HEADER_DIGEST_ERROR, e.fes());
        assertTrue(headers.isEmpty());
    }

    @Test
    void paddingBeforeDataIsSkipped() throws Exception {
        byte[] data = {1, 2, 3, 4, 5};
        ByteBuf wire = Unpooled.buffer();
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        PduHeader.write(wire, PduType.CAPSULE_CMD, 0, 72, 80, 80 + data.length);
        wire.writeBytes(sqe).writeZero(8).writeBytes(data);
        feed(wire, 5);
        assertArrayEquals(data, datas.get(0));
    }

    @Test
    void plenOf4GiBIsRejectedFromTheCommonHeader() {
        ByteBuf wire = Unpooled.buffer();
        PduHeader.write(wire, PduType.CAPSULE_CMD, 0, 72, 72, 0xFFFFFFFFL);
        NvmeTcpProtocolException e = assertThrows(NvmeTcpProtocolException.class, () -> feed(wire));
        assertEquals(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, e.fes());
        assertTrue(headers.isEmpty(), "rejected before the header");
    }

    @Test
    void wrongHeaderFields() {
        assertField(PduType.CAPSULE_CMD, 0, 24, 0, 24, PduHeader.HLEN);
        assertField(PduType.CAPSULE_CMD, 0, 72, 0, 71, PduHeader.PLEN);
        assertField(PduType.CAPSULE_CMD, 0, 72, 16, 100, PduHeader.PDO);
        assertField(PduType.CAPSULE_CMD, 0, 72, 74, 100, PduHeader.PDO);
        assertField(PduType.CAPSULE_CMD, 0, 72, 200, 100, PduHeader.PDO);
        assertField(PduType.CAPSULE_CMD, PduHeader.FLAG_HDGST, 72, 0, 76, PduHeader.FLAGS);
        assertField(PduType.CAPSULE_CMD, PduHeader.FLAG_DDGST, 72, 72, 100, PduHeader.FLAGS);
        assertField(0x0B, 0, 72, 0, 72, PduHeader.TYPE);
    }

    private void assertField(int type, int flags, int hlen, int pdo, long plen, int offset) {
        PduReader r = new PduReader(PooledByteBufAllocator.DEFAULT, handler);
        ByteBuf wire = Unpooled.buffer();
        PduHeader.write(wire, type, flags, hlen, pdo, plen);
        wire.writeZero(200);
        NvmeTcpProtocolException e = assertThrows(NvmeTcpProtocolException.class, () -> r.read(wire));
        assertEquals(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, e.fes(), e.getMessage());
        assertEquals(offset, e.fei(), e.getMessage());
        assertEquals(PduHeader.SIZE, r.offendingHeader().readableBytes());
        r.close();
    }

    @Test
    void partialDataIsReleasedOnClose() throws Exception {
        ByteBuf wire = capsule(false, false, new byte[8000]);
        ByteBuf part = PooledByteBufAllocator.DEFAULT.directBuffer();
        part.writeBytes(wire, 72 + 3000);
        reader.read(part);
        assertEquals(2, part.refCnt(), "the reader holds a retained slice of the received buffer");
        part.release();
        assertFalse(reader.idle());
        reader.close();
        assertEquals(0, part.refCnt());
    }

    @Test
    void termReqErrorDataIsBounded() throws Exception {
        ByteBuf wire = Unpooled.buffer();
        H2CTermReqPdu.write(wire, 1, 0, Unpooled.wrappedBuffer(new byte[40]));
        feed(wire, 9);
        assertEquals(40, datas.get(0).length);

        ByteBuf tooLong = Unpooled.buffer();
        PduHeader.write(tooLong, PduType.H2C_TERM_REQ, 0, 24, 24, 24 + 129);
        PduReader r = new PduReader(PooledByteBufAllocator.DEFAULT, handler);
        NvmeTcpProtocolException e = assertThrows(NvmeTcpProtocolException.class, () -> r.read(tooLong));
        assertEquals(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, e.fes());
    }
}
