package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.tcp.CapsuleCommandPdu;
import org.jnvmet.protocol.tcp.CapsuleResponsePdu;
import org.jnvmet.protocol.tcp.Crc32c;
import org.jnvmet.protocol.tcp.DataPdu;
import org.jnvmet.protocol.tcp.FatalErrorStatus;
import org.jnvmet.protocol.tcp.H2CDataPdu;
import org.jnvmet.protocol.tcp.H2CTermReqPdu;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.protocol.tcp.IcRespPdu;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.R2TPdu;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a host sees on the wire, byte by byte, over 127.0.0.1 (ephemeral port): ICResp fields, R2T/H2CData and
 * C2HData framing, the SUCCESS flag, digests, and a C2HTermReq with the right FES/FEI followed by a close for every
 * protocol violation.
 */
class TcpProtocolConformanceTest {
    static {
        LeakWatch.install();
    }

    private static final int SETUP_TIMEOUT_MILLIS = 1_500;
    private static CountingAllocator alloc;
    private static NvmeTcpTransport transport;
    private TransportListener listener;
    private FakeTarget target;
    private InetSocketAddress address;

    @BeforeAll
    static void start() {
        alloc = new CountingAllocator();
        transport = new NvmeTcpTransport(new TcpTransportOptions(1, true, SETUP_TIMEOUT_MILLIS), alloc);
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    @BeforeEach
    void listen() throws Exception {
        target = new FakeTarget(new PortAddress(1, "tcp", "ipv4", "127.0.0.1", "0", 0x04, 16384, 128), 1 << 20,
                null);
        listener = transport.listen(target);
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(listener.boundTrsvcid()));
    }

    @AfterEach
    void close() {
        listener.close();
        LeakWatch.assertNoLeaks();
        assertTrue(alloc.largestRequest() <= 4 << 20, "largest allocation " + alloc.largestRequest());
    }

    private RawConnection open() throws Exception {
        return new RawConnection(address, 5_000);
    }

    /** ICReq, then Fabrics Connect for qid 0 with its 1024 bytes in-capsule. */
    private RawConnection connected(int digest, boolean disableSqFlow) throws Exception {
        return connected(open(), digest, disableSqFlow, 32);
    }

    private RawConnection connected(RawConnection c, int digest, boolean disableSqFlow, int queueSize)
            throws Exception {
        c.handshake(digest);
        boolean h = (digest & 1) != 0;
        boolean d = (digest & 2) != 0;
        ByteBuf sqe = Sqes.connect(1, 0, queueSize, disableSqFlow);
        ByteBuf data = Sqes.connectData(0xFFFF);
        SglDescriptor.set(sqe, SglDescriptor.ID_INCAPSULE, 0, 1024);
        c.send(capsule(sqe, data, h, d));
        ByteBuf resp = c.readPdu();
        assertEquals(PduType.CAPSULE_RESP, PduHeader.type(resp));
        assertEquals(Status.SUCCESS, CompletionQueueEntry.status(CapsuleResponsePdu.cqe(resp)));
        return c;
    }

    private static ByteBuf capsule(ByteBuf sqe, ByteBuf data, boolean h, boolean d) {
        ByteBuf b = Unpooled.buffer();
        int len = data == null ? 0 : data.readableBytes();
        CapsuleCommandPdu.writeHeader(b, sqe, h, d, len);
        if (len > 0) {
            b.writeBytes(data, data.readerIndex(), len);
            if (d) {
                b.writeIntLE(Crc32c.compute(data));
            }
        }
        return b;
    }

    private static ByteBuf h2cData(int cid, int ttag, int offset, byte[] data, boolean last, boolean h, boolean d) {
        ByteBuf b = Unpooled.buffer();
        H2CDataPdu.writeHeader(b, h, d, cid, ttag, offset, data.length, last);
        b.writeBytes(data);
        if (d) {
            b.writeIntLE(Crc32c.compute(Unpooled.wrappedBuffer(data)));
        }
        return b;
    }

    // ---- ICReq / ICResp ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 0xFC, 0xFF})
    void icRespEchoesTheDigestBitsAndAdvertisesLimits(int digest) throws Exception {
        try (RawConnection c = open()) {
            ByteBuf resp = c.handshake(digest);
            assertEquals(128, PduHeader.hlen(resp));
            assertEquals(0, PduHeader.pdo(resp));
            assertEquals(128, PduHeader.plen(resp));
            assertEquals(0, PduHeader.flags(resp));
            assertEquals(0, IcRespPdu.pfv(resp));
            assertEquals(0, IcRespPdu.cpda(resp));
            assertEquals(digest & 3, IcRespPdu.digest(resp));
            assertEquals(0x400000, IcRespPdu.maxh2cdata(resp));
        }
    }

    @Test
    void icReqWithHpdaIsAnUnsupportedParameter() throws Exception {
        try (RawConnection c = open()) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 1, 0, 0);
            c.send(icreq);
            ByteBuf t = c.expectTermReq(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcReqPdu.HPDA);
            assertEquals(24 + 128, PduHeader.plen(t), "the offending ICReq header comes back");
            assertEquals(1, t.getUnsignedByte(24 + IcReqPdu.HPDA));
        }
    }

    @Test
    void icReqWithUnknownPfv() throws Exception {
        try (RawConnection c = open()) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 1, 0, 0, 0);
            c.send(icreq);
            c.expectTermReq(FatalErrorStatus.UNSUPPORTED_PARAMETER, IcReqPdu.PFV);
        }
    }

    @Test
    void icReqWithWrongPlenOrHlen() throws Exception {
        try (RawConnection c = open()) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, 0, 0);
            icreq.setIntLE(PduHeader.PLEN, 129);
            c.send(icreq.writeByte(0));
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.PLEN);
        }
        try (RawConnection c = open()) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, 0, 0);
            icreq.setByte(PduHeader.HLEN, 127);
            c.send(icreq);
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.HLEN);
        }
    }

    @Test
    void capsuleBeforeIcReqIsASequenceError() throws Exception {
        try (RawConnection c = open()) {
            c.send(capsule(Sqes.connect(1, 0, 32, false), null, false, false));
            c.expectTermReq(FatalErrorStatus.PDU_SEQUENCE_ERROR, -1);
        }
    }

    @Test
    void secondIcReqIsASequenceError() throws Exception {
        try (RawConnection c = open()) {
            c.handshake(0);
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, 0, 0);
            c.send(icreq);
            c.expectTermReq(FatalErrorStatus.PDU_SEQUENCE_ERROR, -1);
        }
    }

    @Test
    void silentOrStalledConnectionsTimeOut() throws Exception {
        try (RawConnection c = open()) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, 0, 0);
            c.send(icreq.slice(0, 60));
            long start = System.nanoTime();
            c.expectClosed();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= SETUP_TIMEOUT_MILLIS / 2 && ms < 4_000, "closed after the ICReq timeout: " + ms);
        }
        try (RawConnection c = open()) {
            long start = System.nanoTime();
            c.expectClosed();   // a connection that sends nothing at all
            assertTrue((System.nanoTime() - start) / 1_000_000 < 4_000);
        }
        try (RawConnection c = open()) {
            c.handshake(0);
            ByteBuf connect = capsule(Sqes.connect(1, 0, 32, false), Sqes.connectData(0xFFFF), false, false);
            c.send(connect.slice(0, 100));   // ICReq done, then half of the Connect capsule
            long start = System.nanoTime();
            c.expectClosed();
            assertTrue((System.nanoTime() - start) / 1_000_000 < 4_000);
        }
        assertEquals(0, target.executed.get());
    }

    @Test
    void hostTermReqClosesTheConnection() throws Exception {
        try (RawConnection c = connected(0, false)) {
            ByteBuf t = Unpooled.buffer();
            H2CTermReqPdu.write(t, FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, Unpooled.wrappedBuffer(new byte[8]));
            c.send(t);
            c.expectClosed();
        }
    }

    // ---- header field errors ----------------------------------------------------------------------------------

    @Test
    void pduTypesAHostMayNotSend() throws Exception {
        for (int type : new int[] {PduType.IC_RESP, PduType.C2H_TERM_REQ, PduType.CAPSULE_RESP, PduType.C2H_DATA,
                PduType.R2T, 0x08, 0x0A, 0x7F, 0xFF}) {
            try (RawConnection c = open()) {
                c.handshake(0);
                ByteBuf b = Unpooled.buffer();
                PduHeader.write(b, type, 0, 24, 0, 24);
                c.send(b.writeZero(16));
                c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.TYPE);
            }
        }
    }

    @Test
    void plenOfFourGiBIsRefusedWithoutAllocating() throws Exception {
        long before = alloc.largestRequest();
        try (RawConnection c = connected(0, false)) {
            ByteBuf b = Unpooled.buffer();
            PduHeader.write(b, PduType.CAPSULE_CMD, 0, 72, 72, 0xFFFFFFFFL);
            c.send(b.writeZero(64).writeZero(1000));
            c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
        }
        try (RawConnection c = connected(0, false)) {
            ByteBuf b = Unpooled.buffer();
            PduHeader.write(b, PduType.H2C_DATA, 0, 24, 24, 0xFFFFFFF0L);
            c.send(b.writeZero(16));
            c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
        }
        assertTrue(alloc.largestRequest() <= Math.max(before, 64 << 10), "no allocation from PLEN");
    }

    @Test
    void inCapsuleDataBeyondTheQueueLimit() throws Exception {
        try (RawConnection c = connected(0, false)) {
            // admin queue: 16 KiB port inline size is the limit (8 KiB minimum), here 16 KiB + 4
            ByteBuf sqe = Sqes.sqe(FakeTarget.OP_IDENTIFY, 2, 0);
            ByteBuf data = Unpooled.buffer().writeZero(16384 + 4);
            c.send(capsule(sqe, data, false, false));
            c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
        }
    }

    @Test
    void wrongPdoAndDigestFlags() throws Exception {
        try (RawConnection c = connected(0, false)) {
            ByteBuf b = capsule(Sqes.rw(FakeTarget.OP_WRITE, 2, 0, 1), Unpooled.buffer().writeZero(512), false,
                    false);
            b.setByte(PduHeader.PDO, 16);
            c.send(b);
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.PDO);
        }
        try (RawConnection c = connected(0, false)) {
            ByteBuf b = capsule(Sqes.rw(FakeTarget.OP_WRITE, 2, 0, 1), null, false, false);
            b.setByte(PduHeader.FLAGS, PduHeader.FLAG_HDGST);
            c.send(b);
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.FLAGS);
        }
        try (RawConnection c = connected(3, false)) {
            ByteBuf b = capsule(Sqes.rw(FakeTarget.OP_WRITE, 2, 0, 1), Unpooled.buffer().writeZero(512), true,
                    false);   // data digest negotiated but DDGSTF clear
            c.send(b);
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.FLAGS);
        }
    }

    @Test
    void headerDigestErrorIsFatal() throws Exception {
        try (RawConnection c = connected(1, false)) {
            ByteBuf b = capsule(Sqes.sqe(FakeTarget.OP_FLUSH, 2, 1), null, true, false);
            b.setByte(72, b.getByte(72) ^ 0x01);
            c.send(b);
            c.expectTermReq(FatalErrorStatus.HEADER_DIGEST_ERROR, -1);
        }
    }

    @Test
    void dataDigestErrorFailsOnlyTheCommand() throws Exception {
        try (RawConnection c = connected(2, false)) {
            ByteBuf sqe = Sqes.rw(FakeTarget.OP_WRITE, 2, 0, 1);
            SglDescriptor.set(sqe, SglDescriptor.ID_INCAPSULE, 0, 512);
            ByteBuf b = capsule(sqe, Unpooled.buffer().writeZero(512), false, true);
            b.setByte(b.writerIndex() - 1, b.getByte(b.writerIndex() - 1) ^ 0x80);
            c.send(b);
            ByteBuf resp = c.readPdu();
            assertEquals(PduType.CAPSULE_RESP, PduHeader.type(resp));
            assertEquals(Status.TRANSIENT_TR_ERR, CompletionQueueEntry.status(CapsuleResponsePdu.cqe(resp)));
            // the connection stays usable
            c.send(capsule(Sqes.sqe(FakeTarget.OP_FLUSH, 3, 1), null, false, false));
            resp = c.readPdu();
            assertEquals(3, CompletionQueueEntry.cid(CapsuleResponsePdu.cqe(resp)));
            assertEquals(Status.SUCCESS, CompletionQueueEntry.status(CapsuleResponsePdu.cqe(resp)));
        }
    }

    // ---- R2T / H2CData ----------------------------------------------------------------------------------------

    private ByteBuf writeNeedingR2T(RawConnection c, int cid, int bytes, boolean h) throws Exception {
        ByteBuf sqe = Sqes.rw(FakeTarget.OP_WRITE, cid, 0, bytes / 512);
        SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, bytes);
        c.send(capsule(sqe, null, h, false));
        ByteBuf r2t = c.readPdu();
        assertEquals(PduType.R2T, PduHeader.type(r2t));
        assertEquals(cid, R2TPdu.cccid(r2t));
        assertEquals(0, R2TPdu.r2to(r2t));
        assertEquals(bytes, R2TPdu.r2tl(r2t));
        assertEquals(h ? 28 : 24, PduHeader.plen(r2t));
        return r2t;
    }

    @Test
    void r2tThenSeveralH2CDataPdusThenReadBack() throws Exception {
        for (int digest : new int[] {0, 3}) {
            boolean h = digest == 3;
            try (RawConnection c = connected(digest, false)) {
                byte[] data = new byte[32768];
                new java.util.Random(5).nextBytes(data);
                ByteBuf r2t = writeNeedingR2T(c, 7, data.length, h);
                int ttag = R2TPdu.ttag(r2t);
                for (int off = 0; off < data.length; off += 4096) {
                    byte[] piece = java.util.Arrays.copyOfRange(data, off, off + 4096);
                    c.send(h2cData(7, ttag, off, piece, off + 4096 == data.length, h, h));
                }
                ByteBuf resp = c.readPdu();
                assertEquals(PduType.CAPSULE_RESP, PduHeader.type(resp));
                assertEquals(7, CompletionQueueEntry.cid(CapsuleResponsePdu.cqe(resp)));
                assertEquals(Status.SUCCESS, CompletionQueueEntry.status(CapsuleResponsePdu.cqe(resp)));

                ByteBuf sqe = Sqes.rw(FakeTarget.OP_READ, 8, 0, data.length / 512);
                SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, data.length);
                c.send(capsule(sqe, null, h, false));
                ByteBuf c2h = c.readPdu();
                assertEquals(PduType.C2H_DATA, PduHeader.type(c2h));
                int hd = h ? 4 : 0;
                assertEquals(24 + hd, PduHeader.pdo(c2h));
                assertEquals(24 + hd + data.length + hd, PduHeader.plen(c2h));
                assertEquals(PduHeader.FLAG_LAST_PDU | (h ? PduHeader.FLAG_HDGST | PduHeader.FLAG_DDGST : 0),
                        PduHeader.flags(c2h));
                assertEquals(8, DataPdu.cccid(c2h));
                assertEquals(0, DataPdu.datao(c2h));
                assertEquals(data.length, DataPdu.datal(c2h));
                ByteBuf got = c2h.slice(24 + hd, data.length);
                assertEquals(Unpooled.wrappedBuffer(data), got);
                if (h) {
                    assertEquals(Crc32c.compute(c2h, 0, 24), c2h.getIntLE(24));
                    assertEquals(Crc32c.compute(got), c2h.getIntLE(24 + hd + data.length));
                }
                resp = c.readPdu();
                assertEquals(PduType.CAPSULE_RESP, PduHeader.type(resp));
                assertEquals(8, CompletionQueueEntry.cid(CapsuleResponsePdu.cqe(resp)));
            }
        }
    }

    @Test
    void connectDataThroughR2T() throws Exception {
        // SPDK hosts have sent the Connect data with R2T/H2CData instead of in-capsule (spdk#1546)
        try (RawConnection c = open()) {
            c.handshake(0);
            ByteBuf sqe = Sqes.connect(1, 0, 32, false);
            SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, 1024);
            c.send(capsule(sqe, null, false, false));
            ByteBuf r2t = c.readPdu();
            assertEquals(PduType.R2T, PduHeader.type(r2t));
            assertEquals(1024, R2TPdu.r2tl(r2t));
            byte[] data = new byte[1024];
            Sqes.connectData(0xFFFF).getBytes(0, data);
            c.send(h2cData(1, R2TPdu.ttag(r2t), 0, data, true, false, false));
            ByteBuf resp = c.readPdu();
            assertEquals(PduType.CAPSULE_RESP, PduHeader.type(resp));
            assertEquals(Status.SUCCESS, CompletionQueueEntry.status(CapsuleResponsePdu.cqe(resp)));
            assertEquals(1, target.executed.get(), "Connect executed once its data arrived");
        }
    }

    @Test
    void sqFlowControlDisabledReadsCompleteWithTheSuccessFlag() throws Exception {
        try (RawConnection c = connected(0, true)) {
            ByteBuf sqe = Sqes.rw(FakeTarget.OP_READ, 4, 0, 1);
            SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, 512);
            c.send(capsule(sqe, null, false, false));
            c.send(capsule(Sqes.sqe(FakeTarget.OP_FLUSH, 5, 1), null, false, false));
            ByteBuf c2h = c.readPdu();
            assertEquals(PduType.C2H_DATA, PduHeader.type(c2h));
            assertEquals(PduHeader.FLAG_LAST_PDU | PduHeader.FLAG_SUCCESS, PduHeader.flags(c2h));
            ByteBuf next = c.readPdu();
            assertEquals(PduType.CAPSULE_RESP, PduHeader.type(next));
            assertEquals(5, CompletionQueueEntry.cid(CapsuleResponsePdu.cqe(next)), "no CapsuleResp for the read");
            assertEquals(0xFFFF, CompletionQueueEntry.sqHead(CapsuleResponsePdu.cqe(next)));
        }
    }

    @Test
    void h2cDataForAnUnknownTtag() throws Exception {
        try (RawConnection c = connected(0, false)) {
            c.send(h2cData(1, 5, 0, new byte[512], true, false, false));
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, DataPdu.TTAG);
        }
        try (RawConnection c = connected(0, false)) {
            c.send(h2cData(1, 0xFFFF, 0, new byte[512], true, false, false));
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, DataPdu.TTAG);
        }
    }

    @Test
    void h2cDataOutsideItsR2T() throws Exception {
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 4096, false));
            c.send(h2cData(9, ttag, 0, new byte[4096 + 512], true, false, false));
            c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, -1);
        }
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 4096, false));
            c.send(h2cData(9, ttag, 512, new byte[512], false, false, false));
            c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, -1);
        }
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 4096, false));
            c.send(h2cData(10, ttag, 0, new byte[4096], true, false, false));
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, DataPdu.CCCID);
        }
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 4096, false));
            c.send(h2cData(9, ttag, 0, new byte[4096], false, false, false));   // final piece without LAST_PDU
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeader.FLAGS);
        }
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 4096, false));
            ByteBuf b = h2cData(9, ttag, 0, new byte[4096], true, false, false);
            b.setIntLE(DataPdu.DATAL, 4000);   // DATAL disagrees with PLEN
            c.send(b);
            c.expectTermReq(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, DataPdu.DATAL);
        }
    }

    @Test
    void aHostThatDoesNotReadHoldsBoundedTargetMemory() throws Exception {
        int reads = 128;
        int size = 1 << 20;
        try (RawConnection c = connected(new RawConnection(address, 10_000, 64 << 10), 0, false, 128)) {
            long base = alloc.usedDirectMemory();
            ByteBuf all = Unpooled.buffer();
            for (int i = 0; i < reads; i++) {
                ByteBuf sqe = Sqes.rw(FakeTarget.OP_READ, 100 + i, 0, size / 512);
                SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, size);
                all.writeBytes(capsule(sqe, null, false, false));
            }
            c.send(all);
            Thread.sleep(1_000);   // the target runs what its budget allows, the rest waits
            long held = alloc.usedDirectMemory() - base;
            assertTrue(held < 48L << 20, "target holds " + (held >> 20) + " MiB for " + reads + " MiB of reads");
            java.util.Set<Integer> done = new java.util.HashSet<>();
            while (done.size() < reads) {
                ByteBuf pdu = c.readPdu();
                if (PduHeader.type(pdu) == PduType.C2H_DATA) {
                    assertEquals(size, DataPdu.datal(pdu));
                } else {
                    assertEquals(PduType.CAPSULE_RESP, PduHeader.type(pdu));
                    ByteBuf cqe = CapsuleResponsePdu.cqe(pdu);
                    assertEquals(Status.SUCCESS, CompletionQueueEntry.status(cqe));
                    assertTrue(done.add(CompletionQueueEntry.cid(cqe)));
                }
            }
        }
    }

    @Test
    void halfAPduThenCloseReleasesEverything() throws Exception {
        try (RawConnection c = connected(0, false)) {
            int ttag = R2TPdu.ttag(writeNeedingR2T(c, 9, 65536, false));
            ByteBuf b = h2cData(9, ttag, 0, new byte[32768], false, false, false);
            c.send(b);
            ByteBuf half = h2cData(9, ttag, 32768, new byte[32768], true, false, false);
            c.send(half.slice(0, 24 + 10000));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (target.disconnects.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, target.disconnects.get());
        // @AfterEach checks that the partial H2CData and the reassembly buffer were released
    }
}
