package org.jnvmet.host.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
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
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.R2TPdu;
import org.jnvmet.protocol.tcp.TermReqPdu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host transport against a scripted target on 127.0.0.1 (ephemeral port): what it puts on the wire (ICReq,
 * SGLs, in-capsule data, H2CData split at MAXH2CDATA) and how it treats the target's answers.
 */
class NvmeTcpHostTransportTest {
    private ServerSocket server;
    private NvmeTcpHostTransport transport;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setSoTimeout(5_000);
    }

    @AfterEach
    void close() throws IOException {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    private NvmeTcpHostTransport transport(NvmeTcpHostOptions o) {
        transport = new NvmeTcpHostTransport(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()),
                o.withConnectTimeoutMillis(3_000));
        return transport;
    }

    /** The target side of one connection. */
    private static final class Peer implements AutoCloseable {
        final Socket s;
        final DataInputStream in;
        final OutputStream out;

        Peer(Socket s) throws IOException {
            this.s = s;
            s.setSoTimeout(5_000);
            in = new DataInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        ByteBuf read() throws IOException {
            byte[] ch = new byte[8];
            in.readFully(ch);
            long plen = PduHeader.plen(Unpooled.wrappedBuffer(ch));
            byte[] all = new byte[(int) plen];
            System.arraycopy(ch, 0, all, 0, 8);
            in.readFully(all, 8, all.length - 8);
            return Unpooled.wrappedBuffer(all);
        }

        void send(ByteBuf b) throws IOException {
            out.write(ByteBufUtil.getBytes(b));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    /** Opens a queue while answering its ICReq with {@code resp}; returns the peer (or null if open failed). */
    private CompletableFuture<HostQueue> open(NvmeTcpHostOptions o, int qid) {
        NvmeTcpHostTransport t = transport(o);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return t.openQueue(qid, 32);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static ByteBuf icResp(int cpda, int digest, long maxData) {
        ByteBuf b = Unpooled.buffer();
        IcRespPdu.write(b, 0, cpda, digest, maxData);
        return b;
    }

    private static CompletableFuture<long[]> submit(HostQueue q, ByteBuf sqe, ByteBuf out, ByteBuf in) {
        CompletableFuture<long[]> f = new CompletableFuture<>();
        q.submit(sqe, out, in, new HostCompletion() {
            @Override
            public void completed(long result, int sqHead, int status) {
                f.complete(new long[] {result, sqHead, status});
            }

            @Override
            public void failed(Throwable cause) {
                f.completeExceptionally(cause);
            }
        });
        return f;
    }

    private static ByteBuf sqe(int opcode, int cid) {
        ByteBuf s = Unpooled.buffer(64).writeZero(64);
        SubmissionQueueEntry.setOpcode(s, opcode);
        SubmissionQueueEntry.setFlags(s, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG);
        SubmissionQueueEntry.setCid(s, cid);
        return s;
    }

    @Test
    void icReqCarriesTheRequestedDigestsAndWrongIcRespsFailTheOpen() throws Exception {
        Object[][] bad = {{1, 0, 0x400000L, "cpda"}, {0, 1, 0x400000L, "digest"}, {0, 0, 2048L, "maxh2cdata"},
            {0, 0, 4098L, "maxh2cdata"}};
        for (Object[] b : bad) {
            CompletableFuture<HostQueue> f = open(NvmeTcpHostOptions.defaults(), 0);
            try (Peer p = new Peer(server.accept())) {
                ByteBuf icreq = p.read();
                assertEquals(PduType.IC_REQ, PduHeader.type(icreq));
                assertEquals(128, PduHeader.plen(icreq));
                assertEquals(0, IcReqPdu.hpda(icreq));
                assertEquals(0, IcReqPdu.digest(icreq));
                p.send(icResp((int) b[0], (int) b[1], (long) b[2]));
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS),
                        String.valueOf(b[3]));
                assertTrue(e.getCause().getCause() instanceof IOException);
                ByteBuf term = p.read();
                assertEquals(PduType.H2C_TERM_REQ, PduHeader.type(term), "host reports why: " + b[3]);
                assertEquals(FatalErrorStatus.UNSUPPORTED_PARAMETER, TermReqPdu.fes(term));
            }
            transport.close();
        }
    }

    @Test
    void writesAreInCapsuleUpToTheLimitElseSplitAtMaxH2CData() throws Exception {
        CompletableFuture<HostQueue> f = open(NvmeTcpHostOptions.defaults().withDigests(true, true)
                .withIoInlineDataSize(1024), 1);
        try (Peer p = new Peer(server.accept())) {
            assertEquals(3, IcReqPdu.digest(p.read()));
            p.send(icResp(0, 3, 4096));
            HostQueue q = f.get(5, TimeUnit.SECONDS);
            assertEquals(1024, q.maxInlineData());

            // 1 KiB: in-capsule, SGL Data Block offset 0
            byte[] small = new byte[1024];
            new java.util.Random(1).nextBytes(small);
            CompletableFuture<long[]> w1 = submit(q, sqe(0x01, 5), Unpooled.wrappedBuffer(small), null);
            ByteBuf cap = p.read();
            assertEquals(PduType.CAPSULE_CMD, PduHeader.type(cap));
            assertEquals(PduHeader.FLAG_HDGST | PduHeader.FLAG_DDGST, PduHeader.flags(cap));
            assertEquals(76, PduHeader.pdo(cap));
            assertEquals(76 + 1024 + 4, PduHeader.plen(cap));
            ByteBuf s = CapsuleCommandPdu.sqe(cap);
            assertEquals(SglDescriptor.ID_INCAPSULE, SglDescriptor.identifier(s));
            assertEquals(1024, SglDescriptor.length(s));
            assertEquals(Crc32c.compute(cap, 0, 72), cap.getIntLE(72));
            assertArrayEquals(small, ByteBufUtil.getBytes(cap, 76, 1024));
            assertEquals(Crc32c.compute(cap, 76, 1024), cap.getIntLE(76 + 1024));
            ByteBuf resp = Unpooled.buffer();
            CapsuleResponsePdu.write(resp, true, 0, 3, 1, 5, 0);
            p.send(resp);
            assertEquals(0, w1.get(5, TimeUnit.SECONDS)[2]);

            // 10 KiB: transport SGL, R2T, three H2CData of at most 4096 with LAST_PDU on the last
            byte[] big = new byte[10240];
            new java.util.Random(2).nextBytes(big);
            CompletableFuture<long[]> w2 = submit(q, sqe(0x01, 6), Unpooled.wrappedBuffer(big), null);
            cap = p.read();
            s = CapsuleCommandPdu.sqe(cap);
            assertEquals(SglDescriptor.ID_TRANSPORT, SglDescriptor.identifier(s));
            assertEquals(10240, SglDescriptor.length(s));
            assertEquals(76, PduHeader.plen(cap));
            ByteBuf r2t = Unpooled.buffer();
            R2TPdu.write(r2t, true, 6, 77, 0, 10240);
            p.send(r2t);
            byte[] got = new byte[10240];
            int off = 0;
            while (off < 10240) {
                ByteBuf d = p.read();
                assertEquals(PduType.H2C_DATA, PduHeader.type(d));
                assertEquals(6, DataPdu.cccid(d));
                assertEquals(77, DataPdu.ttag(d));
                assertEquals(off, DataPdu.datao(d));
                int len = (int) DataPdu.datal(d);
                assertEquals(Math.min(4096, 10240 - off), len);
                boolean last = off + len == 10240;
                assertEquals(last, (PduHeader.flags(d) & PduHeader.FLAG_LAST_PDU) != 0);
                d.getBytes(28, got, off, len);
                assertEquals(Crc32c.compute(d, 28, len), d.getIntLE(28 + len));
                off += len;
            }
            assertArrayEquals(big, got);
            resp = Unpooled.buffer();
            CapsuleResponsePdu.write(resp, true, 0, 4, 1, 6, Status.LBA_RANGE);
            p.send(resp);
            assertEquals(Status.LBA_RANGE, w2.get(5, TimeUnit.SECONDS)[2]);
        }
    }

    @Test
    void readsLandAtTheWriterIndexAndSuccessFlagCompletes() throws Exception {
        CompletableFuture<HostQueue> f = open(NvmeTcpHostOptions.defaults(), 1);
        try (Peer p = new Peer(server.accept())) {
            p.read();
            p.send(icResp(0, 0, 0x400000));
            HostQueue q = f.get(5, TimeUnit.SECONDS);
            ByteBuf dst = Unpooled.buffer(16 + 2048, 16 + 2048).writeZero(16);
            CompletableFuture<long[]> r = submit(q, sqe(0x02, 9), null, dst);
            ByteBuf cap = p.read();
            assertEquals(SglDescriptor.ID_TRANSPORT, SglDescriptor.identifier(CapsuleCommandPdu.sqe(cap)));
            assertEquals(2048, SglDescriptor.length(CapsuleCommandPdu.sqe(cap)));
            for (int off = 0; off < 2048; off += 1024) {
                ByteBuf c2h = Unpooled.buffer();
                boolean last = off == 1024;
                C2HDataPdu.writeHeader(c2h, false, false, 9, off, 1024, last, last);
                c2h.writeBytes(new byte[1024]).setByte(24, off == 0 ? 'a' : 'b');
                p.send(c2h);
            }
            long[] done = r.get(5, TimeUnit.SECONDS);
            assertEquals(Status.SUCCESS, (int) done[2]);
            assertEquals(0xFFFF, (int) done[1], "no CQE: no SQ head");
            assertEquals(16 + 2048, dst.writerIndex());
            assertEquals('a', dst.getByte(16));
            assertEquals('b', dst.getByte(16 + 1024));
        }
    }

    @Test
    void targetTermReqFailsEverythingInFlight() throws Exception {
        CompletableFuture<HostQueue> f = open(NvmeTcpHostOptions.defaults(), 0);
        try (Peer p = new Peer(server.accept())) {
            p.read();
            p.send(icResp(0, 0, 0x400000));
            HostQueue q = f.get(5, TimeUnit.SECONDS);
            CompletableFuture<long[]> a = submit(q, sqe(0x18, 1), null, null);
            CompletableFuture<long[]> b = submit(q, sqe(0x18, 2), null, null);
            p.read();
            p.read();
            ByteBuf term = Unpooled.buffer();
            C2HTermReqPdu.write(term, FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, null);
            p.send(term);
            for (CompletableFuture<long[]> x : java.util.List.of(a, b)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> x.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("PDU sequence error"), e.getCause().getMessage());
            }
            assertEquals(-1, p.in.read(), "host closed the connection");
        }
    }

    @Test
    void aResponseForAnUnknownCidIsAProtocolError() throws Exception {
        CompletableFuture<HostQueue> f = open(NvmeTcpHostOptions.defaults(), 0);
        try (Peer p = new Peer(server.accept())) {
            p.read();
            p.send(icResp(0, 0, 0x400000));
            HostQueue q = f.get(5, TimeUnit.SECONDS);
            ByteBuf resp = Unpooled.buffer();
            CapsuleResponsePdu.write(resp, false, 0, 0, 0, 42, 0);
            p.send(resp);
            ByteBuf term = p.read();
            assertEquals(PduType.H2C_TERM_REQ, PduHeader.type(term));
            assertEquals(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, TermReqPdu.fes(term));
            assertEquals(CapsuleResponsePdu.CQE + 12, TermReqPdu.fei(term));
            assertEquals(-1, p.in.read());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (q.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!q.isOpen());
        }
    }
}
