package org.jnvmet.core.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data integrity through host library, loopback, core and the RAM and file backends. */
class DataPathTest {
    private static final long NS_BYTES = 48L << 20;
    /** Each namespace gets 32 MiB of the 64 MiB bulk test; the rest is for the other tests. */
    private static final long BULK_BYTES = 32L << 20;
    private static final long SCRATCH_LBA = BULK_BYTES / 512;
    private static final int QUEUES = 4;
    private static final int WINDOW = 16;

    @TempDir
    static Path dir;
    private static LoopTarget target;
    private static HostController controller;
    private static HostNamespace ram;
    private static HostNamespace file;

    @BeforeAll
    static void connect() throws Exception {
        target = new LoopTarget(dir, NS_BYTES, NS_BYTES);
        controller = target.connect(target.options().withIoQueues(QUEUES, 64));
        ram = controller.namespace(LoopTarget.RAM_NSID);
        file = controller.namespace(LoopTarget.FILE_NSID);
    }

    @AfterAll
    static void close() {
        controller.close();
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    /** One extent of one namespace. */
    record Extent(HostNamespace ns, long lba, int blocks) {
    }

    /** Cuts [0, bytes) of a namespace into extents of 512 B .. 128 KiB. */
    private static List<Extent> cut(HostNamespace ns, long bytes, Random random) {
        List<Extent> out = new ArrayList<>();
        long lba = 0;
        long end = bytes / 512;
        while (lba < end) {
            int blocks = (int) Math.min(end - lba, 1 + random.nextInt(256));
            out.add(new Extent(ns, lba, blocks));
            lba += blocks;
        }
        return out;
    }

    @Test
    void sixtyFourMebibytesOfRandomDataInMixedSizesOnParallelQueues() throws Exception {
        assertEquals(QUEUES, controller.ioQueues().size());
        DataPattern pattern = new DataPattern(System.nanoTime());
        Random random = new Random(42);
        List<Extent> writes = new ArrayList<>(cut(ram, BULK_BYTES, random));
        writes.addAll(cut(file, BULK_BYTES, random));
        Collections.shuffle(writes, random);
        long written = runOnAllQueues(writes, (q, e) -> {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(e.blocks() * 512);
            pattern.fill(buf, e.ns().nsid(), e.lba(), e.blocks());
            return q.writeAsync(e.ns(), e.lba(), buf, false).whenComplete((c, t) -> buf.release());
        });
        assertEquals(64L << 20, written);

        // read back cut differently, so reads straddle what the writes did
        List<Extent> reads = new ArrayList<>(cut(ram, BULK_BYTES, random));
        reads.addAll(cut(file, BULK_BYTES, random));
        Collections.shuffle(reads, random);
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        long read = runOnAllQueues(reads, (q, e) -> {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(e.blocks() * 512);
            return q.readAsync(e.ns(), e.lba(), e.blocks(), buf).whenComplete((c, t) -> {
                if (t == null) {
                    String m = pattern.mismatch(buf, e.ns().nsid(), e.lba(), e.blocks());
                    if (m != null) {
                        mismatches.add(m);
                    }
                }
                buf.release();
            });
        });
        assertEquals(64L << 20, read);
        assertEquals(List.of(), List.copyOf(mismatches));
    }

    interface Op {
        CompletableFuture<Completion> start(HostIoQueue queue, Extent extent);
    }

    /** Runs the extents on every I/O queue at once, one thread per queue, {@link #WINDOW} commands in flight each. */
    private static long runOnAllQueues(List<Extent> extents, Op op) throws Exception {
        AtomicLong bytes = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int q = 0; q < QUEUES; q++) {
            HostIoQueue queue = controller.ioQueue(q);
            List<Extent> mine = new ArrayList<>();
            for (int i = q; i < extents.size(); i += QUEUES) {
                mine.add(extents.get(i));
            }
            Thread t = new Thread(() -> {
                Semaphore window = new Semaphore(WINDOW);
                try {
                    for (Extent e : mine) {
                        window.acquire();
                        op.start(queue, e).whenComplete((c, err) -> {
                            if (err != null) {
                                failures.add(err);
                            } else {
                                bytes.addAndGet(e.blocks() * 512L);
                            }
                            window.release();
                        });
                    }
                    window.acquire(WINDOW);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "io-" + q);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertEquals(List.of(), List.copyOf(failures));
        return bytes.get();
    }

    @Test
    void fuaWritesAreInTheFileWhenTheyCompleteAndFlushSucceeds() throws Exception {
        HostIoQueue q = controller.ioQueue(0);
        DataPattern pattern = new DataPattern(7);
        long lba = SCRATCH_LBA + 100;
        ByteBuf data = Unpooled.buffer(8 * 512);
        pattern.fill(data, file.nsid(), lba, 8);
        assertEquals(Status.SUCCESS, q.write(file, lba, data, true).status());
        try (FileChannel ch = FileChannel.open(target.file, StandardOpenOption.READ)) {
            ByteBuffer onDisk = ByteBuffer.allocate(8 * 512);
            ch.read(onDisk, lba * 512);
            assertArrayEquals(data.array(), onDisk.array(), "FUA data is in the backing file");
        }
        assertEquals(Status.SUCCESS, q.flush(file.nsid()).status());

        ByteBuf ramData = Unpooled.buffer(4 * 512);
        pattern.fill(ramData, ram.nsid(), lba, 4);
        assertEquals(Status.SUCCESS, q.write(ram, lba, ramData, true).status());
        assertEquals(Status.SUCCESS, q.flush(ram.nsid()).status());
        ByteBuf back = Unpooled.buffer(4 * 512);
        q.read(ram, lba, 4, back);
        assertNull(pattern.mismatch(back, ram.nsid(), lba, 4));
    }

    @Test
    void deallocatedAndZeroedBlocksReadAsZeroes() throws Exception {
        for (HostNamespace ns : List.of(ram, file)) {
            HostIoQueue q = controller.ioQueue(1);
            DataPattern pattern = new DataPattern(11);
            long lba = SCRATCH_LBA + 1024;
            int blocks = 256; // 128 KiB: whole 4 KiB pages and more
            ByteBuf data = Unpooled.buffer(blocks * 512);
            pattern.fill(data, ns.nsid(), lba, blocks);
            q.write(ns, lba, data, false);

            assertEquals(Status.SUCCESS, q.deallocate(ns, lba, blocks).status());
            ByteBuf back = Unpooled.buffer(blocks * 512);
            q.read(ns, lba, blocks, back);
            assertArrayEquals(new byte[blocks * 512], bytes(back), "deallocated blocks of ns " + ns.nsid());

            q.write(ns, lba, data.readerIndex(0), false);
            assertEquals(Status.SUCCESS, q.writeZeroes(ns, lba + 8, 16, false).status());
            ByteBuf mixed = Unpooled.buffer(32 * 512);
            q.read(ns, lba, 32, mixed);
            assertNull(pattern.mismatch(mixed.slice(0, 8 * 512), ns.nsid(), lba, 8));
            assertArrayEquals(new byte[16 * 512], bytes(mixed.slice(8 * 512, 16 * 512)), "zeroed blocks");
            assertNull(pattern.mismatch(mixed.slice(24 * 512, 8 * 512), ns.nsid(), lba + 24, 8));
        }
    }

    @Test
    void compareMatchesWhatWasWrittenAndFailsOnADifference() throws Exception {
        boolean supported = (controller.identifyController().oncs() & IdentifyController.ONCS_COMPARE) != 0;
        HostIoQueue q = controller.ioQueue(2);
        long lba = SCRATCH_LBA + 4096;
        DataPattern pattern = new DataPattern(3);
        for (HostNamespace ns : List.of(ram, file)) {
            ByteBuf data = Unpooled.buffer(16 * 512);
            pattern.fill(data, ns.nsid(), lba, 16);
            q.write(ns, lba, data, false);
            if (!supported) {
                NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> q.compare(ns, lba, data));
                assertEquals(Status.INVALID_OPCODE, e.code());
                continue;
            }
            assertEquals(Status.SUCCESS, q.compare(ns, lba, data.readerIndex(0)).status());
            ByteBuf other = data.copy();
            other.setByte(16 * 512 - 1, ~other.getByte(16 * 512 - 1));
            NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> q.compare(ns, lba, other));
            assertEquals(Status.COMPARE_FAILED, e.code(), "Compare Failure");
        }
    }

    @Test
    void largestTransferMdtsAllows() throws Exception {
        long mdtsBytes = controller.identifyController().maxDataTransferBytes(0);
        assertEquals(1 << 20, mdtsBytes);
        int blocks = (int) (mdtsBytes / 512);
        long lba = SCRATCH_LBA + 8192;
        DataPattern pattern = new DataPattern(5);
        for (HostNamespace ns : List.of(ram, file)) {
            ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * 512);
            ByteBuf back = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * 512);
            try {
                pattern.fill(data, ns.nsid(), lba, blocks);
                controller.ioQueue(3).write(ns, lba, data, false);
                controller.ioQueue(3).read(ns, lba, blocks, back);
                assertNull(pattern.mismatch(back, ns.nsid(), lba, blocks));
            } finally {
                data.release();
                back.release();
            }
        }
        assertTrue(controller.isConnected());
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
