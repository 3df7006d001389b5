package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Target transport and host transport over 127.0.0.1 (ephemeral port), with a stand-in core ({@link FakeTarget}):
 * ICReq/ICResp, in-capsule and R2T writes, C2HData reads, digests, SQ flow control disabled, limits.
 */
class TcpTransportEndToEndTest {
    static {
        LeakWatch.install();
    }

    private static final int MEDIA = 16 << 20;
    private static NvmeTcpTransport transport;
    private static ExecutorService backendThreads;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void start() {
        transport = new NvmeTcpTransport(new TcpTransportOptions(2, true, 10_000), PooledByteBufAllocator.DEFAULT);
        backendThreads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        transport.close();
        backendThreads.shutdownNow();
        LeakWatch.assertNoLeaks();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        LeakWatch.assertNoLeaks();
    }

    private InetSocketAddress listen(FakeTarget target) throws Exception {
        TransportListener l = transport.listen(target);
        closeables.add(l);
        assertEquals("127.0.0.1", l.boundTraddr());
        int port = Integer.parseInt(l.boundTrsvcid());
        assertTrue(port > 0, "ephemeral port resolved");
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static PortAddress port(String traddr, int inline) {
        return new PortAddress(1, "tcp", traddr.contains(":") ? "ipv6" : "ipv4", traddr, "0", 0x04, inline, 128);
    }

    private TestHost host(InetSocketAddress addr, NvmeTcpHostOptions o) {
        TestHost h = new TestHost(addr, o);
        closeables.add(h);
        return h;
    }

    private static byte[] pattern(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "hdgst={0} ddgst={1} hostInline={2} async={3}")
    @CsvSource({"false,false,16384,false", "true,false,16384,true", "false,true,16384,false", "true,true,0,true",
            "true,true,16384,false"})
    void writesAndReadsAcrossTheInlineThreshold(boolean hdgst, boolean ddgst, int hostInline, boolean async)
            throws Exception {
        FakeTarget target = new FakeTarget(port("127.0.0.1", -1), MEDIA, async ? backendThreads : null);
        TestHost host = host(listen(target), NvmeTcpHostOptions.defaults().withDigests(hdgst, ddgst)
                .withIoInlineDataSize(hostInline));
        HostQueue admin = host.connect(0, 32, false);
        HostQueue io = host.connect(1, 64, false);
        closeables.add(io);
        closeables.add(admin);
        assertEquals(hostInline, io.maxInlineData());

        int[] sizes = {512, 4096, 8192, 16384, 16384 + 512, 128 << 10, 1 << 20, 4 << 20};
        long lba = 0;
        int cid = 1;
        for (int size : sizes) {
            byte[] data = pattern(size, size);
            ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(data);
            TestHost.Completion w = TestHost.call(io, Sqes.rw(FakeTarget.OP_WRITE, cid++, lba, size / 512), out, null);
            out.release();
            assertEquals(Status.SUCCESS, w.status(), "write " + size);
            ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
            TestHost.Completion r = TestHost.call(io, Sqes.rw(FakeTarget.OP_READ, cid++, lba, size / 512), null, in);
            try {
                assertEquals(Status.SUCCESS, r.status(), "read " + size);
                assertEquals(size, in.readableBytes());
                assertTrue(java.util.Arrays.equals(data, ByteBufUtil.getBytes(in)), "data read back " + size);
            } finally {
                in.release();
            }
            lba += size / 512;
        }
    }

    @Test
    void manyCommandsInFlightOnSeveralQueues() throws Exception {
        FakeTarget target = new FakeTarget(port("127.0.0.1", 8192), MEDIA, backendThreads);
        TestHost host = host(listen(target), NvmeTcpHostOptions.defaults().withIoInlineDataSize(8192));
        HostQueue admin = host.connect(0, 32, false);
        closeables.add(admin);
        List<HostQueue> queues = new ArrayList<>();
        for (int q = 1; q <= 3; q++) {
            HostQueue io = host.connect(q, 32, q == 3);
            closeables.add(io);
            queues.add(io);
        }
        Random rnd = new Random(42);
        for (int round = 0; round < 4; round++) {
            List<CompletableFuture<TestHost.Completion>> writes = new ArrayList<>();
            List<ByteBuf> buffers = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                HostQueue q = queues.get(i % queues.size());
                int blocks = 1 + rnd.nextInt(64);
                byte[] data = pattern(blocks * 512, rnd.nextLong());
                expected.add(data);
                ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data);
                buffers.add(out);
                writes.add(TestHost.submit(q, Sqes.rw(FakeTarget.OP_WRITE, i + 1, i * 128L, blocks), out, null));
            }
            for (CompletableFuture<TestHost.Completion> f : writes) {
                assertEquals(Status.SUCCESS, f.get(10, TimeUnit.SECONDS).status());
            }
            buffers.forEach(ByteBuf::release);
            List<CompletableFuture<TestHost.Completion>> reads = new ArrayList<>();
            List<ByteBuf> ins = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                HostQueue q = queues.get((i + round) % queues.size());
                int len = expected.get(i).length;
                ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(len, len);
                ins.add(in);
                reads.add(TestHost.submit(q, Sqes.rw(FakeTarget.OP_READ, 100 + i, i * 128L, len / 512), null, in));
            }
            for (int i = 0; i < 30; i++) {
                TestHost.Completion c = reads.get(i).get(10, TimeUnit.SECONDS);
                assertEquals(Status.SUCCESS, c.status());
                boolean sqFlowDisabled = (i + round) % queues.size() == 2;
                if (sqFlowDisabled) {
                    assertEquals(0xFFFF, c.sqHead(), "SUCCESS flag: no CQE, no SQHD");
                }
                assertTrue(java.util.Arrays.equals(expected.get(i), ByteBufUtil.getBytes(ins.get(i))));
                ins.get(i).release();
            }
        }
    }

    @Test
    void adminQueueReadAndErrors() throws Exception {
        FakeTarget target = new FakeTarget(port("127.0.0.1", 0), MEDIA, null);
        TestHost host = host(listen(target), NvmeTcpHostOptions.defaults());
        HostQueue admin = host.connect(0, 32, false);
        closeables.add(admin);
        assertEquals(8192, admin.maxInlineData());

        ByteBuf id = PooledByteBufAllocator.DEFAULT.directBuffer(4096, 4096);
        TestHost.Completion c = TestHost.call(admin, Sqes.sqe(FakeTarget.OP_IDENTIFY, 9, 0), null, id);
        assertEquals(Status.SUCCESS, c.status());
        assertEquals(4096, id.readableBytes());
        byte[] got = ByteBufUtil.getBytes(id);
        for (int i = 0; i < 4096; i++) {
            assertEquals(FakeTarget.identifyByte(i), got[i]);
        }
        id.release();

        // an opcode the core rejects in init: CapsuleResp with its status, queue stays usable
        c = TestHost.call(admin, Sqes.sqe(0x55, 10, 0), null, null);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, c.status());

        // port inline size 0: I/O queues take no in-capsule data, writes go through R2T
        HostQueue io = host.connect(1, 16, false);
        closeables.add(io);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(pattern(4096, 1));
        assertEquals(Status.SUCCESS, TestHost.call(io, Sqes.rw(FakeTarget.OP_WRITE, 1, 0, 8), out, null).status());
        out.release();
    }

    @Test
    void transferLongerThanFourMiBIsRefused() throws Exception {
        FakeTarget target = new FakeTarget(port("127.0.0.1", -1), MEDIA, null);
        TestHost host = host(listen(target), NvmeTcpHostOptions.defaults());
        HostQueue admin = host.connect(0, 32, false);
        HostQueue io = host.connect(1, 16, false);
        closeables.add(io);
        closeables.add(admin);
        int blocks = (4 << 20) / 512 + 1;
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * 512, blocks * 512);
        TestHost.Completion r = TestHost.call(io, Sqes.rw(FakeTarget.OP_READ, 1, 0, blocks), null, in);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, r.status());
        assertEquals(0, in.readableBytes());
        in.release();
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * 512).writeZero(blocks * 512);
        TestHost.Completion w = TestHost.call(io, Sqes.rw(FakeTarget.OP_WRITE, 2, 0, blocks), out, null);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, w.status());
        out.release();
    }

    @Test
    void ipv6LoopbackAndListenerClose() throws Exception {
        FakeTarget target = new FakeTarget(port("::1", -1), MEDIA, null);
        TransportListener l;
        try {
            l = transport.listen(target);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback: " + e.getMessage());
            return;
        }
        assertEquals("::1", l.boundTraddr());
        InetSocketAddress addr = new InetSocketAddress("::1", Integer.parseInt(l.boundTrsvcid()));
        TestHost host = host(addr, NvmeTcpHostOptions.defaults());
        HostQueue admin = host.connect(0, 32, false);
        assertTrue(admin.isOpen());
        l.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (admin.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(admin.isOpen(), "closing the listener closes its connections");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> TestHost.submit(admin, Sqes.sqe(FakeTarget.OP_IDENTIFY, 1, 0), null, null)
                        .get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof java.io.IOException);
        assertEquals(1, target.disconnects.get());
        TestHost late = host(addr, NvmeTcpHostOptions.defaults());
        assertThrows(java.io.IOException.class, () -> late.transport.openQueue(0, 32));
    }

    @Test
    void badPortAddressesAreRejected() {
        assertThrows(java.io.IOException.class, () -> transport.listen(new FakeTarget(
                new PortAddress(2, "tcp", "ipv4", "localhost", "0", 0, -1, 128), 512, null)));
        assertThrows(java.io.IOException.class, () -> transport.listen(new FakeTarget(
                new PortAddress(2, "tcp", "ipv6", "127.0.0.1", "0", 0, -1, 128), 512, null)));
        assertThrows(java.io.IOException.class, () -> transport.listen(new FakeTarget(
                new PortAddress(2, "tcp", "ipv4", "127.0.0.1", "70000", 0, -1, 128), 512, null)));
    }
}
