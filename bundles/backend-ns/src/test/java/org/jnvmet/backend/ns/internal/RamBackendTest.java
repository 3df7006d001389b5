package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RamBackendTest {
    static {
        LeakWatch.install();
    }

    private static final int MIB = 1 << 20;
    private final RamBackendFactory factory = new RamBackendFactory(64L * MIB);

    @AfterEach
    void closeFactory() {
        factory.close();
        assertEquals(0, factory.memoryBudget().used(), "memory budget after close");
        assertEquals(0, ((ByteBufAllocatorMetricProvider) factory.chunkAllocator()).metric().usedDirectMemory(),
                "direct memory held after close");
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    private BlockBackend open(String path, int blockSize) throws IOException {
        return factory.open(new BackendSpec(path, false, blockSize));
    }

    @Test
    void parsesSizesAndBlockSizes() throws IOException {
        assertEquals(64L * MIB, open("ram:64M", 0).capacity());
        assertEquals(512L * 1024, open("ram:512K", 0).capacity());
        assertEquals(8192, open("ram:8192", 0).capacity());
        assertEquals(MIB, open("RAM:1MiB", 4096).capacity());
        assertEquals(9, open("ram:1M", 0).blockSizeShift());
        assertEquals(12, open("ram:1M", 4096).blockSizeShift());
        try (RamBackendFactory big = new RamBackendFactory(2L << 30)) {
            assertEquals(1L << 30, big.open(new BackendSpec("ram:1G", false, 512)).capacity());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram:", "ram:abc", "ram:12Q", "ram:0", "ram:1000", "ram:-4K", "ram:1G",
            "ram:99999999999999999999", "ram:2T"})
    void badSizesFailOpenNamingDevicePath(String path) {
        IOException e = assertThrows(IOException.class, () -> open(path, 0));
        assertTrue(e.getMessage().contains("device_path '" + path + "'"), e.getMessage());
    }

    @Test
    void badBlockSizeFailsOpen() {
        IOException e = assertThrows(IOException.class, () -> open("ram:1M", 1024));
        assertTrue(e.getMessage().contains("ram:1M") && e.getMessage().contains("1024"), e.getMessage());
        assertThrows(IOException.class, () -> open("ram:6144", 4096)); // not a multiple of 4096
    }

    @Test
    void acceptsOnlyRamPaths() {
        assertTrue(factory.accepts(new BackendSpec("ram:1G", false, 0)));
        assertFalse(factory.accepts(new BackendSpec("/tmp/disk.img", false, 0)));
        assertFalse(factory.accepts(new BackendSpec("/dev/ram0", false, 0)));
        assertEquals("ram", factory.kind());
    }

    @Test
    void memoryIsAllocatedLazilyAndUnwrittenBlocksReadZero() throws IOException {
        RamBackend ram = (RamBackend) open("ram:32M", 0);
        Io io = new Io(ram);
        assertEquals(0, factory.memoryBudget().used());
        assertArrayEquals(new byte[8192], io.read(5L * MIB, 8192));
        assertEquals(0, ram.allocatedBytes(), "reads must not allocate");

        byte[] data = Io.random(new Random(1), 4096);
        assertEquals(Status.SUCCESS, io.write(7L * MIB + 512, data));
        assertEquals(MIB, ram.allocatedBytes());
        assertEquals(MIB, factory.memoryBudget().used());
        assertArrayEquals(data, io.read(7L * MIB + 512, 4096));
        byte[] around = io.read(7L * MIB, 8192);
        assertArrayEquals(new byte[512], Arrays.copyOfRange(around, 0, 512));
        assertArrayEquals(new byte[8192 - 512 - 4096], Arrays.copyOfRange(around, 512 + 4096, 8192));
    }

    @ParameterizedTest
    @EnumSource(Io.Buffer.class)
    void randomWritesReadBackWithMixedSizesAcrossChunks(Io.Buffer kind) throws IOException {
        BlockBackend ram = open("ram:8M", 0);
        Io io = new Io(ram);
        Random rnd = new Random(kind.ordinal());
        byte[] model = new byte[8 * MIB];
        for (int i = 0; i < 60; i++) {
            int blocks = 1 + rnd.nextInt(i % 5 == 0 ? 4096 : 16); // up to 2 MiB: spans chunks
            long lba = rnd.nextInt(8 * MIB / 512 - blocks);
            byte[] data = Io.random(rnd, blocks * 512);
            assertEquals(Status.SUCCESS, io.write(lba * 512, data, rnd.nextBoolean(), kind));
            System.arraycopy(data, 0, model, (int) lba * 512, data.length);
        }
        for (int off = 0; off < 8 * MIB; off += MIB) {
            assertArrayEquals(Arrays.copyOfRange(model, off, off + MIB), io.read(off, MIB, kind), "at " + off);
        }
        assertEquals(Status.SUCCESS, io.flush());
    }

    @Test
    void completesInlineOnCallersThread() throws IOException {
        Io io = new Io(open("ram:1M", 0));
        FakeTransportQueue.Pending p = io.queue.request(null);
        io.backend.flush(p.request);
        assertTrue(p.isDone(), "RAM completes before returning");
        assertEquals(Thread.currentThread().getName(), p.thread());
        assertFalse(io.backend.volatileWriteCache());
        assertTrue(io.backend.supportsDeallocate());
    }

    @Test
    void deallocateFreesWholeChunksAndZeroesPartialRanges() throws IOException {
        RamBackend ram = (RamBackend) open("ram:4M", 0);
        Io io = new Io(ram);
        byte[] all = Io.random(new Random(7), 4 * MIB);
        for (int off = 0; off < 4 * MIB; off += MIB) {
            io.write(off, Arrays.copyOfRange(all, off, off + MIB));
        }
        assertEquals(4L * MIB, factory.memoryBudget().used());
        // chunk 1 entirely, the tail of chunk 0 and the head of chunk 2; a second range inside chunk 3
        assertEquals(Status.SUCCESS, io.deallocate(MIB - 4096, MIB + 8192, 3L * MIB + 512, 1024));
        assertEquals(3L * MIB, ram.allocatedBytes(), "the whole chunk is freed");
        assertEquals(3L * MIB, factory.memoryBudget().used());
        byte[] expected = all.clone();
        Arrays.fill(expected, MIB - 4096, 2 * MIB + 4096, (byte) 0);
        Arrays.fill(expected, 3 * MIB + 512, 3 * MIB + 1536, (byte) 0);
        for (int off = 0; off < 4 * MIB; off += MIB) {
            assertArrayEquals(Arrays.copyOfRange(expected, off, off + MIB), io.read(off, MIB), "at " + off);
        }
        assertEquals(Status.SUCCESS, io.writeZeroes(0, 4L * MIB));
        assertEquals(0, factory.memoryBudget().used());
        assertArrayEquals(new byte[MIB], io.read(3L * MIB, MIB));
    }

    @Test
    void outOfRangeAndMalformedCommandsFailWithoutSideEffects() throws IOException {
        Io io = new Io(open("ram:1M", 0));
        int[] wi = new int[1];
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(MIB - 512, 1024, wi));
        assertEquals(0, wi[0], "writer index untouched on failure");
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(-512, 512, wi));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(Long.MAX_VALUE - 10, 512, wi));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(0, -1, wi));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.write(MIB, new byte[512]));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.writeZeroes(512, MIB));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.deallocate(0, 512, MIB, 512));
        FakeTransportQueue.Pending badCount = io.queue.request(null);
        io.backend.deallocate(badCount.request, new long[] {0, 512}, 2); // count larger than the array
        assertEquals(Status.INVALID_FIELD | Status.DNR, badCount.await());
        FakeTransportQueue.Pending noData = io.queue.request(null);
        io.backend.read(noData.request, 0, 512);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, noData.await());
        assertEquals(0, factory.memoryBudget().used(), "failed writes allocate nothing");
    }

    @Test
    void writesBeyondTheMemoryBudgetFailWithCapacityExceeded() throws IOException {
        RamBackendFactory small = new RamBackendFactory(2L * MIB);
        try {
            Io a = new Io(small.open(new BackendSpec("ram:2M", false, 0)));
            Io b = new Io(small.open(new BackendSpec("ram:2M", false, 0)));
            assertEquals(Status.SUCCESS, a.write(0, new byte[4096]));
            assertEquals(Status.SUCCESS, a.write(MIB, new byte[4096]));
            assertEquals(Status.CAP_EXCEEDED | Status.DNR, b.write(0, new byte[4096]));
            assertEquals(Status.SUCCESS, a.deallocate(0, MIB));
            assertEquals(Status.SUCCESS, b.write(0, new byte[4096]), "freed memory is reusable");
        } finally {
            small.close();
        }
        assertEquals(0, small.memoryBudget().used());
    }

    @Test
    void closeReleasesMemoryAndRefusesFurtherIo() throws IOException {
        BlockBackend ram = open("ram:4M", 0);
        Io io = new Io(ram);
        io.write(0, new byte[3 * MIB]);
        assertEquals(3L * MIB, factory.memoryBudget().used());
        ram.close();
        ram.close();
        assertEquals(0, factory.memoryBudget().used());
        assertEquals(IoErrors.INTERNAL_PATH_ERROR, io.write(0, new byte[512]));
        assertEquals(IoErrors.INTERNAL_PATH_ERROR, io.flush());
        assertEquals(0, factory.memoryBudget().used());
    }

    @Test
    void concurrentIoFromSeveralThreads() throws Exception {
        BlockBackend ram = open("ram:16M", 0);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int region = t;
                futures.add(pool.submit(() -> {
                    Io io = new Io(ram);
                    Random rnd = new Random(region);
                    long base = region * 4L * MIB;
                    byte[] model = new byte[4 * MIB];
                    for (int i = 0; i < 200; i++) {
                        int blocks = 1 + rnd.nextInt(64);
                        int lba = rnd.nextInt(4 * MIB / 512 - blocks);
                        switch (rnd.nextInt(5)) {
                            case 0 -> {
                                assertEquals(Status.SUCCESS, io.deallocate(base + lba * 512L, blocks * 512L));
                                Arrays.fill(model, lba * 512, (lba + blocks) * 512, (byte) 0);
                            }
                            case 1 -> assertArrayEquals(Arrays.copyOfRange(model, lba * 512, (lba + blocks) * 512),
                                    io.read(base + lba * 512L, blocks * 512));
                            default -> {
                                byte[] data = Io.random(rnd, blocks * 512);
                                assertEquals(Status.SUCCESS, io.write(base + lba * 512L, data));
                                System.arraycopy(data, 0, model, lba * 512, data.length);
                            }
                        }
                    }
                    assertArrayEquals(model, io.read(base, 4 * MIB));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentDeallocateAndReadOfTheSameChunkNeverTouchesFreedMemory() throws Exception {
        BlockBackend ram = open("ram:2M", 0);
        byte[] ones = new byte[MIB];
        Arrays.fill(ones, (byte) 1);
        Thread churn = new Thread(() -> {
            Io io = new Io(ram);
            for (int i = 0; i < 300; i++) {
                io.write(0, ones);
                io.deallocate(0, MIB);
            }
        });
        churn.start();
        Io io = new Io(ram);
        while (churn.isAlive()) {
            byte[] got = io.read(0, 4096);
            // overlapping commands may see old or new data, but only ever ones or zeroes
            for (byte b : got) {
                assertTrue(b == 0 || b == 1);
            }
        }
        churn.join();
    }
}
