package org.jnvmet.core.it.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data through the loopback wire to the emulated controller and back: integrity up to the device's MDTS, vendor
 * specific commands with data in both directions, the statuses of commands the device or the target refuse, and
 * exact accounting per device namespace.
 */
class PassthruDataPathTest {
    /** The emulated controller's largest transfer: max_hw_sectors_kb 512. */
    static final int MDTS_BYTES = 512 << 10;

    static PassthruLoopTarget target;
    static HostController host;
    static HostNamespace ns1;
    static HostNamespace ns2;

    @BeforeAll
    static void start() throws Exception {
        target = new PassthruLoopTarget("data");
        host = target.connect(target.options().withIoQueues(2, 64));
        ns1 = host.namespace(1);
        ns2 = host.namespace(2);
    }

    @AfterAll
    static void stop() {
        host.close();
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writesAndReadsUpToMdtsReachTheDeviceIntact() throws Exception {
        HostIoQueue q = host.ioQueue(0);
        long lba = 4096;
        for (HostNamespace ns : List.of(ns1, ns2)) {
            for (int size : new int[] {ns.blockSize(), 8192, 64 << 10, MDTS_BYTES}) {
                byte[] data = random(size, size + ns.nsid());
                ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(data);
                try {
                    Completion w = q.write(ns, lba, src, false);
                    assertEquals(0, w.status(), "write " + size + " to ns " + ns.nsid());
                } finally {
                    src.release();
                }
                assertArrayEquals(data, target.device().readRaw(ns.nsid(), lba * ns.blockSize(), size),
                        "the device holds what the host wrote");
                ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
                try {
                    Completion r = host.ioQueue(1).read(ns, lba, size / ns.blockSize(), dst);
                    assertEquals(0, r.status());
                    assertArrayEquals(data, ByteBufUtil.getBytes(dst));
                } finally {
                    dst.release();
                }
                lba += size / ns.blockSize();
            }
        }
    }

    @Test
    void concurrentIoOnTwoQueues() throws Exception {
        int ios = 256;
        int blocks = 8;
        List<CompletableFuture<Completion>> writes = new ArrayList<>();
        List<ByteBuf> bufs = new ArrayList<>();
        long base = 32768;
        for (int i = 0; i < ios; i++) {
            ByteBuf src = Unpooled.wrappedBuffer(random(blocks * 512, i));
            bufs.add(src);
            writes.add(host.ioQueue(i % 2).writeAsync(ns1, base + (long) i * blocks, src, false));
        }
        for (CompletableFuture<Completion> f : writes) {
            assertEquals(0, f.get(10, TimeUnit.SECONDS).status());
        }
        List<CompletableFuture<Completion>> reads = new ArrayList<>();
        List<ByteBuf> dsts = new ArrayList<>();
        for (int i = 0; i < ios; i++) {
            ByteBuf dst = Unpooled.buffer(blocks * 512, blocks * 512);
            dsts.add(dst);
            reads.add(host.ioQueue((i + 1) % 2).readAsync(ns1, base + (long) i * blocks, blocks, dst));
        }
        for (int i = 0; i < ios; i++) {
            assertEquals(0, reads.get(i).get(10, TimeUnit.SECONDS).status());
            assertArrayEquals(random(blocks * 512, i), ByteBufUtil.getBytes(dsts.get(i)), "extent " + i);
        }
    }

    @Test
    void vendorAdminCommandsCarryDataBothWays() throws Exception {
        byte[] payload = random(3000, 7);
        ByteBuf store = Commands.sqe(0xC1, 0);
        Completion c = host.adminQueue().execute(store, Unpooled.wrappedBuffer(payload), null);
        assertEquals(0, c.status());
        CRC32C crc = new CRC32C();
        crc.update(payload);
        assertEquals((int) crc.getValue(), c.dw0(), "the device's DW0: CRC32C of what it received");

        ByteBuf fetch = Commands.sqe(0xC2, 0);
        SubmissionQueueEntry.setCdw(fetch, 12, 0x5A);
        ByteBuf in = Unpooled.buffer(3000, 3000);
        c = host.adminQueue().execute(fetch, null, in);
        assertEquals(0, c.status());
        assertEquals(3000, c.dw0());
        byte[] got = ByteBufUtil.getBytes(in);
        for (int i = 0; i < payload.length; i++) {
            assertEquals((byte) (payload[i] ^ 0x5A), got[i], "byte " + i);
        }
    }

    @Test
    void vendorIoCommandsCarryDataBothWays() throws Exception {
        byte[] payload = random(5000, 11);
        Completion c = host.ioQueue(0).execute(Commands.sqe(0x81, 2), Unpooled.wrappedBuffer(payload), null);
        assertEquals(0, c.status());
        CRC32C crc = new CRC32C();
        crc.update(payload);
        assertEquals((int) crc.getValue(), c.dw0());
        ByteBuf in = Unpooled.buffer(5000, 5000);
        c = host.ioQueue(1).execute(Commands.sqe(0x82, 2), null, in);
        assertEquals(0, c.status());
        assertEquals(5000, c.dw0());
        byte[] got = ByteBufUtil.getBytes(in);
        for (int i = 0; i < payload.length; i++) {
            assertEquals(payload[payload.length - 1 - i], got[i], "byte " + i + " reversed");
        }
    }

    @Test
    void aTransferBeyondMdtsIsRefusedBeforeTheDevice() throws Exception {
        long reads = target.device().executed(false, NvmOpcode.READ);
        long writes = target.device().executed(false, NvmOpcode.WRITE);
        for (int size : new int[] {MDTS_BYTES + 512, 1 << 20, 2 << 20}) {
            ByteBuf dst = Unpooled.buffer(size, size);
            Completion c = host.ioQueue(0).execute(Commands.read(1, 0, size / 512), null, dst);
            assertEquals(Status.SGL_INVALID_DATA | Status.DNR, c.status(), size + " bytes");
            assertEquals(0, dst.readableBytes());
        }
        byte[] big = random(MDTS_BYTES + 4096, 3);
        Completion w = host.ioQueue(0).execute(Commands.write(1, 0, big.length / 512, false),
                Unpooled.wrappedBuffer(big), null);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, w.status());
        assertEquals(reads, target.device().executed(false, NvmOpcode.READ), "never reached the device");
        assertEquals(writes, target.device().executed(false, NvmOpcode.WRITE), "no write either");
    }

    @Test
    void anSglLengthThatDisagreesWithTheCommandIsRefusedByTheDevice() throws Exception {
        // Read of 8 blocks (4 KiB) into a 2 KiB buffer: the SGL says 2 KiB
        ByteBuf dst = Unpooled.buffer(2048, 2048);
        Completion c = host.ioQueue(0).execute(Commands.read(1, 0, 8), null, dst);
        assertEquals(Status.INVALID_FIELD | Status.DNR, c.status());
        assertEquals(0, dst.readableBytes());
        // Write of 1 block with 4 KiB of data
        c = host.ioQueue(0).execute(Commands.write(1, 0, 1, false), Unpooled.wrappedBuffer(new byte[4096]), null);
        assertEquals(Status.INVALID_FIELD | Status.DNR, c.status());
    }

    @Test
    void aNamespaceTheDeviceLacksIsInvalidNamespace() throws Exception {
        for (int nsid : new int[] {4, 9, 1024, 0xFFFFFFFE}) {
            ByteBuf dst = Unpooled.buffer(512, 512);
            Completion c = host.ioQueue(0).execute(Commands.read(nsid, 0, 1), null, dst);
            assertEquals(Status.INVALID_NS | Status.DNR, c.status(), "nsid " + Integer.toUnsignedString(nsid));
        }
        Completion c = host.ioQueue(0).execute(Commands.write(0, 0, 1, false), Unpooled.wrappedBuffer(new byte[512]),
                null);
        assertEquals(Status.INVALID_NS | Status.DNR, c.status(), "nsid 0");
        assertTrue(target.accounting.devices.keySet().stream().noneMatch(n -> n.endsWith("-n9")));
    }

    @Test
    void accountingCountsEveryPassthruIoOfEachNamespaceExactly() throws Exception {
        CountingAccounting.Device d1 = target.accounting.get(target.accountingName(1));
        CountingAccounting.Device d2 = target.accounting.get(target.accountingName(2));
        {
            long r1 = d1.ios(Op.READ);
            long rs1 = d1.sectors(Op.READ);
            long w1 = d1.ios(Op.WRITE);
            long ws1 = d1.sectors(Op.WRITE);
            long e1 = d1.errors(Op.READ);
            long w2 = d2.ios(Op.WRITE);
            long ws2 = d2.sectors(Op.WRITE);
            long f2 = d2.ios(Op.FLUSH);
            HostIoQueue q = host.ioQueue(0);
            long lba = 1 << 16;
            for (int i = 0; i < 10; i++) {
                assertEquals(0, q.write(ns1, lba + i * 8L, Unpooled.wrappedBuffer(new byte[4096]), false).status());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(0, q.read(ns1, lba, 16, Unpooled.buffer(8192, 8192)).status());
            }
            // a read the device refuses (SGL shorter than NLB) is a read error of that namespace
            assertEquals(Status.INVALID_FIELD | Status.DNR,
                    q.execute(Commands.read(1, 0, 8), null, Unpooled.buffer(1024, 1024)).status());
            for (int i = 0; i < 3; i++) {
                assertEquals(0, q.write(ns2, 256 + i * 2L, Unpooled.wrappedBuffer(new byte[8192]), false).status());
            }
            assertEquals(0, q.flush(2).status());
            // a vendor command writing 1 KiB counts as a write of 2 sectors (by its data direction)
            assertEquals(0, q.execute(Commands.sqe(0x81, 2), Unpooled.wrappedBuffer(new byte[1024]), null).status());

            assertEquals(r1 + 6, d1.ios(Op.READ));
            assertEquals(rs1 + 5 * 16 + 2, d1.sectors(Op.READ));
            assertEquals(e1 + 1, d1.errors(Op.READ));
            assertEquals(w1 + 10, d1.ios(Op.WRITE));
            assertEquals(ws1 + 10 * 8, d1.sectors(Op.WRITE));
            assertEquals(w2 + 4, d2.ios(Op.WRITE));
            assertEquals(ws2 + 3 * 16 + 2, d2.sectors(Op.WRITE));
            assertEquals(f2 + 1, d2.ios(Op.FLUSH));
            assertEquals(0, d1.inFlight(Op.READ) + d1.inFlight(Op.WRITE) + d2.inFlight(Op.WRITE));
            assertTrue(d1.hosts.contains(target.host.hostNqn()), "per-host session of the controller");
        }
    }
}
