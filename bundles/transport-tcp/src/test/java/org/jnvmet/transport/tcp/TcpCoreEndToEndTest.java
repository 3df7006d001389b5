package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole target over NVMe/TCP on 127.0.0.1 (ephemeral port): {@link NvmetCore} with a RAM namespace, driven by
 * the Java host library through {@link NvmeTcpHostTransport}, as a Linux host would (Connect, enable, Identify,
 * I/O queues), with and without digests, across the in-capsule threshold, plus discovery.
 */
class TcpCoreEndToEndTest {
    static {
        LeakWatch.install();
    }

    private static final String NQN = "nqn.2024-01.org.jnvmet:tcp-e2e";
    private static NvmetCore core;
    private static NvmeTcpTransport tcp;
    private static RamBackendFactory ram;
    private static InetSocketAddress address;
    private static NvmeHost host;

    @BeforeAll
    static void start() {
        core = new NvmetCore();
        tcp = new NvmeTcpTransport(new TcpTransportOptions(2, true, 10_000), PooledByteBufAllocator.DEFAULT);
        ram = new RamBackendFactory(64L << 20);
        core.addTransport(tcp);
        core.addBackendFactory(ram);
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putNamespace(NQN, NamespaceSpec.of(1, "ram:16M"));
        core.putPort(PortSpec.tcp(1, "127.0.0.1", 0, List.of(NQN)));
        PortStatus status = core.portStatus().get(0);
        assertTrue(status.listening(), "port listening: " + status.reason());
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(status.trsvcid()));
        assertTrue(address.getPort() > 0);
        host = NvmeHost.random();
    }

    @AfterAll
    static void stop() {
        host.close();
        core.close();
        tcp.close();
        ram.close();
        LeakWatch.assertNoLeaks();
    }

    private static NvmeTcpHostTransport transport(boolean hdgst, boolean ddgst, int inline) {
        return new NvmeTcpHostTransport(address, NvmeTcpHostOptions.defaults().withDigests(hdgst, ddgst)
                .withIoInlineDataSize(inline));
    }

    @ParameterizedTest(name = "hdgst={0} ddgst={1} inline={2} disableSqFlow={3}")
    @CsvSource({"false,false,16384,false", "true,true,16384,false", "false,true,0,true", "true,false,16384,true"})
    void verifiedIoAcrossTheInlineThreshold(boolean hdgst, boolean ddgst, int inline, boolean disableSqFlow)
            throws Exception {
        try (NvmeTcpHostTransport t = transport(hdgst, ddgst, inline);
             HostController c = host.connect(t, ConnectOptions.of(NQN).withIoQueues(2, 64)
                     .withDisableSqFlow(disableSqFlow))) {
            assertEquals(NvmeTcpHostOptions.inlineDataSizeFromIoccsz(c.identifyController().ioccsz()), 16384,
                    "IOCCSZ advertises the port's 16 KiB in-capsule size");
            HostNamespace ns = c.namespace(1);
            assertEquals(16L << 20, ns.sizeBytes());
            int bs = ns.blockSize();
            HostIoQueue q = c.ioQueue(0);
            long lba = 0;
            for (int size : new int[] {bs, 4096, 16384, 16384 + bs, 128 << 10, 1 << 20}) {
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(data);
                Completion w = q.write(ns, lba, src, false);
                src.release();
                assertTrue(w.isSuccess(), "write " + size + ": " + w);
                ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
                try {
                    Completion r = c.ioQueue(1).read(ns, lba, size / bs, dst);
                    assertTrue(r.isSuccess(), "read " + size + ": " + r);
                    assertArrayEquals(data, ByteBufUtil.getBytes(dst), "data of " + size);
                } finally {
                    dst.release();
                }
                lba += size / bs;
            }
        }
    }

    @Test
    void queueDepthWithConcurrentCommands() throws Exception {
        try (NvmeTcpHostTransport t = transport(false, false, 16384);
             HostController c = host.connect(t, ConnectOptions.of(NQN).withIoQueues(1, 128))) {
            HostNamespace ns = c.namespace(1);
            HostIoQueue q = c.ioQueue(0);
            int bs = ns.blockSize();
            int n = 100;
            List<ByteBuf> bufs = new ArrayList<>();
            List<CompletableFuture<Completion>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(8192).writeBytes(block(i));
                bufs.add(src);
                fs.add(q.writeAsync(ns, 4096L + i * (8192 / bs), src, false));
            }
            for (CompletableFuture<Completion> f : fs) {
                assertTrue(f.get(10, TimeUnit.SECONDS).isSuccess());
            }
            bufs.forEach(ByteBuf::release);
            bufs.clear();
            fs.clear();
            for (int i = 0; i < n; i++) {
                ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(8192, 8192);
                bufs.add(dst);
                fs.add(q.readAsync(ns, 4096L + i * (8192 / bs), 8192 / bs, dst));
            }
            for (int i = 0; i < n; i++) {
                assertTrue(fs.get(i).get(10, TimeUnit.SECONDS).isSuccess());
                ByteBuf dst = bufs.get(i);
                assertArrayEquals(block(i), ByteBufUtil.getBytes(dst));
                dst.release();
            }
        }
    }

    /** Bulk contents: at PARANOID every single-byte access of a buffer records a stack trace. */
    private static byte[] block(int i) {
        byte[] b = new byte[8192];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (i + j);
        }
        return b;
    }

    @Test
    void discoveryThroughTheSamePort() throws Exception {
        try (NvmeTcpHostTransport t = transport(false, false, 0)) {
            DiscoveryLog log = host.discover(t);
            DiscoveryLogEntry e = log.entries().stream().filter(x -> NQN.equals(x.subnqn())).findFirst()
                    .orElseThrow(() -> new AssertionError("no entry for " + NQN + " in " + log));
            assertEquals(NvmeTcpTransport.DISCOVERY_TRTYPE_TCP, e.trtype());
            assertEquals(1, e.adrfam(), "ipv4");
            assertEquals("127.0.0.1", e.traddr());
            assertEquals(Integer.toString(address.getPort()), e.trsvcid());
        }
    }
}
