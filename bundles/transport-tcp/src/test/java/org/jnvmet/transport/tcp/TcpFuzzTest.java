package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.tcp.CapsuleCommandPdu;
import org.jnvmet.protocol.tcp.CapsuleResponsePdu;
import org.jnvmet.protocol.tcp.Crc32c;
import org.jnvmet.protocol.tcp.FatalErrorStatus;
import org.jnvmet.protocol.tcp.H2CDataPdu;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.R2TPdu;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile hosts against one transport while an honest host does verified I/O through it on another port of the
 * same event loops: random bytes, valid sessions with one PDU mutated, and huge PLENs. Every hostile connection
 * must end with well-formed target output (a C2HTermReq, if any, last) and a close; the honest host must see no
 * error; no allocation may exceed the transfer limit; nothing may leak (PARANOID leak detection).
 */
class TcpFuzzTest {
    static {
        LeakWatch.install();
    }

    private static final long SEED = Long.getLong("jnvmet.fuzz.seed", 0x5EEDL);
    private static final int RANDOM_CONNECTIONS = 100;
    private static final int MUTATED_SESSIONS = 300;
    private static final int SETUP_TIMEOUT_MILLIS = 3_000;
    /** How hostile connections ended: "FES n", "closed", "answered" (valid PDUs only), per kind. */
    private static final java.util.Map<String, Integer> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hostileConnectionsNeverHurtAnHonestOne() throws Exception {
        CountingAllocator alloc = new CountingAllocator();
        ExecutorService backend = Executors.newFixedThreadPool(2);
        NvmeTcpTransport transport = new NvmeTcpTransport(new TcpTransportOptions(2, true, SETUP_TIMEOUT_MILLIS),
                alloc);
        FakeTarget honestTarget = new FakeTarget(port(1), 8 << 20, backend);
        FakeTarget fuzzTarget = new FakeTarget(port(2), 8 << 20, backend);
        TransportListener honestPort = transport.listen(honestTarget);
        TransportListener fuzzPort = transport.listen(fuzzTarget);
        InetSocketAddress fuzzAddress = new InetSocketAddress("127.0.0.1", Integer.parseInt(fuzzPort.boundTrsvcid()));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger verifiedIos = new AtomicInteger();
        ExecutorService honest = Executors.newSingleThreadExecutor();
        TestHost host = new TestHost(new InetSocketAddress("127.0.0.1", Integer.parseInt(honestPort.boundTrsvcid())),
                NvmeTcpHostOptions.defaults().withDigests(true, true).withIoInlineDataSize(16384));
        Future<?> honestIo = honest.submit(() -> {
            honestLoop(host, stop, verifiedIos);
            return null;
        });
        try {
            Random rnd = new Random(SEED);
            for (int i = 0; i < RANDOM_CONNECTIONS; i++) {
                randomBytes(fuzzAddress, rnd, i % 2 == 0);
            }
            for (int i = 0; i < MUTATED_SESSIONS; i++) {
                mutatedSession(fuzzAddress, rnd);
            }
            hugePlens(fuzzAddress, rnd);
            stop.set(true);
            honestIo.get(20, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            honest.shutdownNow();
            host.close();
        }
        System.out.println("fuzz seed " + SEED + ": honest I/Os " + verifiedIos.get() + ", outcomes " + OUTCOMES);
        assertTrue(verifiedIos.get() > 10, "the honest host kept doing I/O: " + verifiedIos.get());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (((org.jnvmet.transport.tcp.internal.TcpListener) fuzzPort).connectionCount() > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, ((org.jnvmet.transport.tcp.internal.TcpListener) fuzzPort).connectionCount(),
                "every hostile connection was closed");
        assertEquals(fuzzTarget.openQueues.get(), fuzzTarget.disconnects.get(), "every queue told the core");
        honestPort.close();
        fuzzPort.close();
        transport.close();
        backend.shutdownNow();
        assertTrue(alloc.largestRequest() <= 4 << 20, "largest single allocation " + alloc.largestRequest());
        LeakWatch.assertNoLeaks();
    }

    private static PortAddress port(int id) {
        return new PortAddress(id, "tcp", "ipv4", "127.0.0.1", "0", 0x04, 16384, 128);
    }

    /** Writes then reads back random data, mixing in-capsule and R2T sizes, until told to stop. */
    private static void honestLoop(TestHost host, AtomicBoolean stop, AtomicInteger count) throws Exception {
        HostQueue admin = host.connect(0, 32, false);
        HostQueue io = host.connect(1, 32, false);
        Random rnd = new Random(1);
        int cid = 1;
        try {
            while (!stop.get()) {
                int blocks = 1 + rnd.nextInt(rnd.nextBoolean() ? 32 : 256);
                long lba = rnd.nextInt(4096);
                byte[] data = new byte[blocks * 512];
                rnd.nextBytes(data);
                ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data);
                TestHost.Completion w = TestHost.call(io, Sqes.rw(FakeTarget.OP_WRITE, cid, lba, blocks), out, null);
                out.release();
                cid = cid % 1000 + 1;
                assertEquals(Status.SUCCESS, w.status(), "honest write");
                ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(data.length, data.length);
                TestHost.Completion r = TestHost.call(io, Sqes.rw(FakeTarget.OP_READ, cid, lba, blocks), null, in);
                cid = cid % 1000 + 1;
                try {
                    assertEquals(Status.SUCCESS, r.status(), "honest read");
                    assertTrue(java.util.Arrays.equals(data, ByteBufUtil.getBytes(in)), "honest data intact");
                } finally {
                    in.release();
                }
                count.incrementAndGet();
            }
        } finally {
            io.close();
            admin.close();
        }
    }

    // ---- hostile connections ----------------------------------------------------------------------------------

    private static void randomBytes(InetSocketAddress address, Random rnd, boolean afterIcReq) throws Exception {
        try (RawConnection c = new RawConnection(address, 5_000)) {
            if (afterIcReq) {
                c.handshake(rnd.nextInt(4));
            }
            byte[] junk = new byte[1 + rnd.nextInt(600)];
            rnd.nextBytes(junk);
            if (rnd.nextBoolean()) {
                junk[0] = (byte) rnd.nextInt(10);   // a plausible PDU type
            }
            c.send(junk);
            c.shutdownOutput();
            Fuzz.checkTargetOutput(c.readToEnd(16 << 20), "random bytes", OUTCOMES);
        }
    }

    /**
     * A valid session (ICReq, Connect, in-capsule write, R2T write with H2CData, read, flush) in which one PDU is
     * mutated before it is sent; the target's answers up to that PDU are checked, then the stream is closed.
     */
    private static void mutatedSession(InetSocketAddress address, Random rnd) throws Exception {
        int digest = rnd.nextInt(4);
        boolean h = (digest & 1) != 0;
        boolean d = (digest & 2) != 0;
        int victim = rnd.nextInt(6);
        try (RawConnection c = new RawConnection(address, 5_000)) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, digest, 0);
            if (!sendMaybeMutated(c, icreq, victim == 0, rnd)) {
                return;
            }
            c.readPdu();

            ByteBuf connect = Sqes.connect(1, 0, 32, rnd.nextBoolean());
            SglDescriptor.set(connect, SglDescriptor.ID_INCAPSULE, 0, 1024);
            if (!sendMaybeMutated(c, capsule(connect, Sqes.connectData(0xFFFF), h, d), victim == 1, rnd)) {
                return;
            }
            expectResponse(c, 1);

            int blocks = 1 + rnd.nextInt(16);
            ByteBuf write = Sqes.rw(FakeTarget.OP_WRITE, 2, rnd.nextInt(1000), blocks);
            SglDescriptor.set(write, SglDescriptor.ID_INCAPSULE, 0, blocks * 512);
            ByteBuf inline = Unpooled.buffer().writeZero(blocks * 512);
            if (!sendMaybeMutated(c, capsule(write, inline, h, d), victim == 2, rnd)) {
                return;
            }
            expectResponse(c, 2);

            int r2tBytes = 4096 * (1 + rnd.nextInt(8));
            ByteBuf big = Sqes.rw(FakeTarget.OP_WRITE, 3, 2000, r2tBytes / 512);
            SglDescriptor.set(big, SglDescriptor.ID_TRANSPORT, 0, r2tBytes);
            if (!sendMaybeMutated(c, capsule(big, null, h, d), victim == 3, rnd)) {
                return;
            }
            ByteBuf r2t = c.readPdu();
            assertEquals(PduType.R2T, PduHeader.type(r2t), "R2T");
            ByteBuf h2c = Unpooled.buffer();
            H2CDataPdu.writeHeader(h2c, h, d, 3, R2TPdu.ttag(r2t), 0, r2tBytes, true);
            ByteBuf payload = Unpooled.buffer().writeZero(r2tBytes);
            h2c.writeBytes(payload, 0, r2tBytes);
            if (d) {
                h2c.writeIntLE(Crc32c.compute(payload));
            }
            if (!sendMaybeMutated(c, h2c, victim == 4, rnd)) {
                return;
            }
            expectResponse(c, 3);

            ByteBuf read = Sqes.rw(FakeTarget.OP_READ, 4, 0, 1);
            SglDescriptor.set(read, SglDescriptor.ID_TRANSPORT, 0, 512);
            sendMaybeMutated(c, capsule(read, null, h, d), victim == 5, rnd);
        }
    }

    /** Sends {@code pdu}; when mutating, damages it, half-closes and checks what the target said. */
    private static boolean sendMaybeMutated(RawConnection c, ByteBuf pdu, boolean mutate, Random rnd)
            throws Exception {
        if (!mutate) {
            c.send(pdu);
            return true;
        }
        Fuzz.mutate(pdu, rnd);
        c.send(pdu);
        c.shutdownOutput();
        Fuzz.checkTargetOutput(c.readToEnd(16 << 20), "mutated PDU", OUTCOMES);
        return false;
    }

    private static void expectResponse(RawConnection c, int cid) throws Exception {
        ByteBuf pdu = c.readPdu();
        if (PduHeader.type(pdu) == PduType.C2H_DATA) {
            pdu = c.readPdu();
        }
        assertEquals(PduType.CAPSULE_RESP, PduHeader.type(pdu));
        assertEquals(cid, CompletionQueueEntry.cid(CapsuleResponsePdu.cqe(pdu)));
    }

    private static void hugePlens(InetSocketAddress address, Random rnd) throws Exception {
        for (int type : new int[] {PduType.CAPSULE_CMD, PduType.H2C_DATA, PduType.H2C_TERM_REQ}) {
            try (RawConnection c = new RawConnection(address, 5_000)) {
                c.handshake(0);
                ByteBuf b = Unpooled.buffer();
                int hlen = PduType.headerLength(type);
                long plen = 0x80000000L + (rnd.nextLong() & 0x7FFFFFFFL);
                PduHeader.write(b, type, 0, hlen, type == PduType.H2C_TERM_REQ ? 0 : hlen, plen);
                c.send(b.writeZero(hlen - 8).writeZero(4096));
                c.expectTermReq(FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
            }
        }
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
}
