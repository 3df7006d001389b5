package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.tcp.CapsuleCommandPdu;
import org.jnvmet.protocol.tcp.Crc32c;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile connections against the real target ({@link NvmetCore} + RAM namespace) while the Java host library does
 * verified I/O on the same port: random bytes, and a valid admin Connect followed by admin capsules with random
 * SQE bytes and random SGLs, some PDUs damaged. The honest controller must see no error, every hostile connection
 * must end cleanly, and nothing may leak.
 */
class TcpCoreFuzzTest {
    static {
        LeakWatch.install();
    }

    private static final String NQN = "nqn.2024-01.org.jnvmet:tcp-fuzz";
    private static final long SEED = Long.getLong("jnvmet.fuzz.seed", 0xC0FFEEL);
    private static final Map<String, Integer> OUTCOMES = new ConcurrentSkipListMap<>();
    /** Get Log Page, Identify, Set/Get Features, AER, Keep Alive, Fabrics, Abort. */
    private static final int[] ADMIN_OPCODES = {0x02, 0x06, 0x09, 0x0A, 0x0C, 0x18, 0x7F, 0x08};

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hostileConnectionsBesideAnHonestController() throws Exception {
        CountingAllocator alloc = new CountingAllocator();
        NvmetCore core = new NvmetCore();
        NvmeTcpTransport tcp = new NvmeTcpTransport(new TcpTransportOptions(2, true, 3_000), alloc);
        RamBackendFactory ram = new RamBackendFactory(64L << 20);
        core.addTransport(tcp);
        core.addBackendFactory(ram);
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putNamespace(NQN, NamespaceSpec.of(1, "ram:8M"));
        core.putPort(PortSpec.tcp(1, "127.0.0.1", 0, List.of(NQN)));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(core.portStatus().get(0).trsvcid()));

        NvmeHost host = NvmeHost.random();
        NvmeTcpHostTransport transport = new NvmeTcpHostTransport(address,
                NvmeTcpHostOptions.defaults().withDigests(true, true).withIoInlineDataSize(16384));
        HostController controller = host.connect(transport, ConnectOptions.of(NQN).withIoQueues(1, 32));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger verified = new AtomicInteger();
        ExecutorService honest = Executors.newSingleThreadExecutor();
        Future<?> io = honest.submit(() -> {
            honestIo(controller, stop, verified);
            return null;
        });
        try {
            Random rnd = new Random(SEED);
            for (int i = 0; i < 40; i++) {
                randomBytes(address, rnd);
            }
            for (int i = 0; i < 150; i++) {
                hostileAdminSession(address, rnd);
            }
            stop.set(true);
            io.get(20, TimeUnit.SECONDS);
            assertTrue(controller.isConnected(), "the honest controller is still connected");
        } finally {
            stop.set(true);
            honest.shutdownNow();
            controller.close();
            transport.close();
            host.close();
        }
        System.out.println("core fuzz seed " + SEED + ": honest I/Os " + verified.get() + ", outcomes " + OUTCOMES);
        assertTrue(verified.get() > 10, "honest I/Os: " + verified.get());
        core.close();
        tcp.close();
        ram.close();
        assertTrue(alloc.largestRequest() <= 4 << 20, "largest single allocation " + alloc.largestRequest());
        LeakWatch.assertNoLeaks();
    }

    private static void honestIo(HostController c, AtomicBoolean stop, AtomicInteger count) throws Exception {
        HostNamespace ns = c.namespace(1);
        HostIoQueue q = c.ioQueue(0);
        int bs = ns.blockSize();
        Random rnd = new Random(3);
        while (!stop.get()) {
            int blocks = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 128);
            long lba = rnd.nextInt(8192);
            byte[] data = new byte[blocks * bs];
            rnd.nextBytes(data);
            ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
            Completion w = q.write(ns, lba, src, false);
            src.release();
            assertTrue(w.isSuccess(), "honest write " + w);
            ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(data.length, data.length);
            try {
                Completion r = q.read(ns, lba, blocks, dst);
                assertTrue(r.isSuccess(), "honest read " + r);
                assertArrayEquals(data, ByteBufUtil.getBytes(dst));
            } finally {
                dst.release();
            }
            count.incrementAndGet();
        }
    }

    private static void randomBytes(InetSocketAddress address, Random rnd) throws Exception {
        try (RawConnection c = new RawConnection(address, 5_000)) {
            if (rnd.nextBoolean()) {
                c.handshake(rnd.nextInt(4));
            }
            byte[] junk = new byte[1 + rnd.nextInt(400)];
            rnd.nextBytes(junk);
            junk[0] = (byte) rnd.nextInt(10);
            c.send(junk);
            c.shutdownOutput();
            Fuzz.checkTargetOutput(c.readToEnd(16 << 20), "random bytes", OUTCOMES);
        }
    }

    /** ICReq, a valid admin Connect (not enabled), then admin capsules with random SQEs; maybe one damaged PDU. */
    private static void hostileAdminSession(InetSocketAddress address, Random rnd) throws Exception {
        int digest = rnd.nextInt(4);
        boolean h = (digest & 1) != 0;
        boolean d = (digest & 2) != 0;
        try (RawConnection c = new RawConnection(address, 5_000)) {
            ByteBuf icreq = Unpooled.buffer();
            IcReqPdu.write(icreq, 0, 0, digest, 0);
            c.send(icreq);
            c.readPdu();
            ByteBuf wire = Unpooled.buffer();
            ByteBuf connect = Sqes.connect(1, 0, 32, rnd.nextBoolean());
            SglDescriptor.set(connect, SglDescriptor.ID_INCAPSULE, 0, 1024);
            ByteBuf data = Unpooled.buffer(1024).writeZero(1024);
            data.setShortLE(16, 0xFFFF);
            data.setCharSequence(256, NQN, StandardCharsets.US_ASCII);
            data.setCharSequence(512, "nqn.2024-01.org.jnvmet:fuzzer", StandardCharsets.US_ASCII);
            wire.writeBytes(capsule(connect, data, h, d));
            if (rnd.nextInt(4) != 0) {
                // Property Set CC = EN | IOSQES 6 | IOCQES 4: later admin commands reach the admin command set
                ByteBuf propSet = Sqes.sqe(0x7F, 2, 0);
                propSet.setByte(4, 0x00);
                propSet.setIntLE(44, 0x14);
                propSet.setLongLE(48, 0x00460001L);
                wire.writeBytes(capsule(propSet, null, h, d));
            }
            int commands = 1 + rnd.nextInt(6);
            int victim = rnd.nextInt(commands + 2);   // sometimes none
            for (int i = 0; i < commands; i++) {
                ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
                byte[] random = new byte[64];
                rnd.nextBytes(random);
                sqe.setBytes(0, random);
                sqe.setShortLE(2, 10 + i);
                if (rnd.nextInt(3) == 0) {
                    sqe.setZero(0, 64);   // a clean Identify Controller: answered with C2HData
                    sqe.setByte(0, 0x06);
                    sqe.setByte(1, 0x40);
                    sqe.setShortLE(2, 10 + i);
                    sqe.setIntLE(40, 1);
                } else if (rnd.nextBoolean()) {
                    sqe.setByte(0, ADMIN_OPCODES[rnd.nextInt(ADMIN_OPCODES.length)]);
                    sqe.setByte(1, 0x40);
                }
                boolean identify = sqe.getByte(0) == 0x06 && sqe.getIntLE(40) == 1;
                int len = identify ? 4096 : rnd.nextBoolean() ? rnd.nextInt(9000) : rnd.nextInt(64) * 64;
                boolean inline = !identify && rnd.nextBoolean() && len <= 8192;
                SglDescriptor.set(sqe, inline ? SglDescriptor.ID_INCAPSULE : SglDescriptor.ID_TRANSPORT, 0, len);
                ByteBuf pdu = capsule(sqe, inline ? Unpooled.buffer().writeZero(len) : null, h, d);
                if (i == victim) {
                    Fuzz.mutate(pdu, rnd);
                }
                wire.writeBytes(pdu);
            }
            c.send(wire);
            c.shutdownOutput();
            Fuzz.checkTargetOutput(c.readToEnd(16 << 20), "admin capsules", OUTCOMES);
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
