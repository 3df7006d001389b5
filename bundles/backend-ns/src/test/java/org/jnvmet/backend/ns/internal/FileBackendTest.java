package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileBackendTest {
    static {
        LeakWatch.install();
    }

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private final FileBackendFactory factory = new FileBackendFactory(4, 256);

    @AfterEach
    void closeFactory() {
        factory.close();
        assertEquals(0, factory.openCount());
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    private Path image(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private ChannelBackend open(Path path, boolean buffered, int blockSize) throws IOException {
        return (ChannelBackend) factory.open(new BackendSpec(path.toString(), buffered, blockSize));
    }

    @ParameterizedTest(name = "bufferedIo={0}")
    @ValueSource(booleans = {true, false})
    void randomMixedSizeIoReadsBackAndLandsInTheFile(boolean buffered) throws IOException {
        Path img = image("disk.img", 8 * MIB);
        ChannelBackend file = open(img, buffered, 512);
        assertEquals(!buffered, file.directIo(), "ext4 under /tmp takes O_DIRECT");
        Io io = new Io(file);
        Random rnd = new Random(buffered ? 1 : 2);
        byte[] model = new byte[8 * MIB];
        for (int i = 0; i < 80; i++) {
            // 512-byte granularity: in direct mode the unaligned ones take the page-cache path
            int blocks = 1 + rnd.nextInt(i % 7 == 0 ? 2048 : 24);
            int lba = rnd.nextInt(8 * MIB / 512 - blocks);
            byte[] data = Io.random(rnd, blocks * 512);
            Io.Buffer kind = Io.Buffer.values()[i % Io.Buffer.values().length];
            assertEquals(Status.SUCCESS, io.write(lba * 512L, data, rnd.nextInt(4) == 0, kind));
            System.arraycopy(data, 0, model, lba * 512, data.length);
            if (i % 10 == 0) {
                int from = rnd.nextInt(8 * MIB / 512 - 64) * 512;
                assertArrayEquals(Arrays.copyOfRange(model, from, from + 32768), io.read(from, 32768, kind));
            }
        }
        for (Io.Buffer kind : Io.Buffer.values()) {
            int from = kind.ordinal() * 2 * MIB;
            assertArrayEquals(Arrays.copyOfRange(model, from, from + 2 * MIB), io.read(from, 2 * MIB, kind));
        }
        assertEquals(Status.SUCCESS, io.flush());
        assertArrayEquals(model, Files.readAllBytes(img), "file content after flush");
    }

    @Test
    void completionsComeFromWorkerThreadsNotTheCaller() throws IOException {
        Io io = new Io(open(image("t.img", MIB), false, 0));
        FakeTransportQueue.Pending p = io.queue.request(null);
        io.backend.flush(p.request);
        assertEquals(Status.SUCCESS, p.await());
        assertTrue(p.thread().startsWith("jnvmet-file-"), p.thread());
        assertTrue(io.backend.volatileWriteCache());
        assertTrue(io.backend.supportsDeallocate());
        assertEquals(9, io.backend.blockSizeShift());
    }

    @Test
    void alignedDirectBuffersGoStraightToTheChannelOthersBounce() throws IOException {
        ChannelBackend file = open(image("z.img", 4 * MIB), false, 4096);
        Io io = new Io(file);
        byte[] data = Io.random(new Random(3), 3 * 256 * 1024 + 4096); // longer than the bounce buffer
        assertEquals(Status.SUCCESS, io.write(4096, data, false, Io.Buffer.ALIGNED_DIRECT));
        assertArrayEquals(data, io.read(4096, data.length, Io.Buffer.ALIGNED_DIRECT));
        assertEquals(0, file.bouncedIos(), "aligned buffers need no copy");
        for (Io.Buffer kind : List.of(Io.Buffer.POOLED_DIRECT, Io.Buffer.HEAP, Io.Buffer.COMPOSITE)) {
            long before = file.bouncedIos();
            byte[] more = Io.random(new Random(kind.ordinal()), data.length);
            assertEquals(Status.SUCCESS, io.write(4096, more, true, kind));
            assertArrayEquals(more, io.read(4096, more.length, kind));
            assertEquals(before + 2, file.bouncedIos(), kind + " goes through the aligned bounce buffer");
        }
    }

    @Test
    void unalignedIoInDirectModeIsCoherentWithDirectIo() throws IOException {
        ChannelBackend file = open(image("u.img", MIB), false, 512);
        assertEquals(4096, file.directAlignment());
        Io io = new Io(file);
        byte[] page = Io.random(new Random(4), 8192);
        assertEquals(Status.SUCCESS, io.write(0, page)); // O_DIRECT
        byte[] middle = Io.random(new Random(5), 1536);
        assertEquals(Status.SUCCESS, io.write(512, middle)); // page cache
        System.arraycopy(middle, 0, page, 512, middle.length);
        assertArrayEquals(page, io.read(0, 8192), "direct read sees the buffered write");
        assertArrayEquals(middle, io.read(512, 1536));
    }

    @Test
    void fuaAndFlushSucceedAndDataIsInTheFile() throws IOException {
        Path img = image("fua.img", MIB);
        Io io = new Io(open(img, false, 512));
        byte[] data = Io.random(new Random(6), 4096);
        assertEquals(Status.SUCCESS, io.write(8192, data, true, Io.Buffer.POOLED_DIRECT));
        byte[] small = Io.random(new Random(7), 512);
        assertEquals(Status.SUCCESS, io.write(512, small, true, Io.Buffer.HEAP)); // unaligned FUA: O_DSYNC page cache
        assertEquals(Status.SUCCESS, io.flush());
        byte[] onDisk = Files.readAllBytes(img);
        assertArrayEquals(data, Arrays.copyOfRange(onDisk, 8192, 8192 + 4096));
        assertArrayEquals(small, Arrays.copyOfRange(onDisk, 512, 1024));
    }

    @ParameterizedTest(name = "bufferedIo={0}")
    @ValueSource(booleans = {true, false})
    void writeZeroesAndDeallocateReadBackZeroesAndKeepNeighbours(boolean buffered) throws IOException {
        Path img = image("zero.img", 4 * MIB);
        Io io = new Io(open(img, buffered, 512));
        byte[] all = Io.random(new Random(8), 4 * MIB);
        assertEquals(Status.SUCCESS, io.write(0, all));
        assertEquals(Status.SUCCESS, io.writeZeroes(512, 3 * 512)); // unaligned, small
        assertEquals(Status.SUCCESS, io.deallocate(MIB - 512, MIB + 1024, 3L * MIB + 4096, 8192));
        assertEquals(Status.SUCCESS, io.writeZeroes(0, 0));
        byte[] expected = all.clone();
        Arrays.fill(expected, 512, 2048, (byte) 0);
        Arrays.fill(expected, MIB - 512, 2 * MIB + 512, (byte) 0);
        Arrays.fill(expected, 3 * MIB + 4096, 3 * MIB + 4096 + 8192, (byte) 0);
        assertArrayEquals(expected, io.read(0, 4 * MIB));
        assertEquals(Status.SUCCESS, io.flush());
        assertArrayEquals(expected, Files.readAllBytes(img));
    }

    @Test
    void deallocateOfHolesLeavesTheFileSparse() throws IOException {
        Path img = image("sparse.img", 64L * MIB);
        Io io = new Io(open(img, true, 512));
        long before = allocatedBytes(img);
        assertEquals(Status.SUCCESS, io.deallocate(0, 64L * MIB));
        assertEquals(Status.SUCCESS, io.flush());
        assertTrue(allocatedBytes(img) <= before + MIB, "zeroing a hole must not allocate it");
        assertArrayEquals(new byte[MIB], io.read(10L * MIB, MIB));
    }

    private static long allocatedBytes(Path p) throws IOException {
        Process du = new ProcessBuilder("du", "-B1", "--", p.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        return Long.parseLong(out.split("\\s+")[0]);
    }

    @Test
    void capacityIsTheFileSizeAndRevalidateSeesGrowth() throws IOException {
        Path img = image("grow.img", 2 * MIB + 700);
        ChannelBackend file = open(img, false, 4096);
        Io io = new Io(file);
        assertEquals(2 * MIB, file.capacity(), "rounded down to whole blocks");
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.write(2 * MIB, new byte[4096]));
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(5L * MIB);
        }
        assertEquals(2 * MIB, file.capacity(), "unchanged until revalidated");
        assertEquals(5L * MIB, file.revalidate());
        assertEquals(5L * MIB, file.capacity());
        byte[] data = Io.random(new Random(9), 8192);
        assertEquals(Status.SUCCESS, io.write(5L * MIB - 8192, data));
        assertArrayEquals(data, io.read(5L * MIB - 8192, 8192));
    }

    @Test
    void outOfRangeAndShortReadsFailWithKernelStatuses() throws IOException {
        Path img = image("err.img", MIB);
        ChannelBackend file = open(img, false, 512);
        Io io = new Io(file);
        int[] wi = new int[1];
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(MIB - 512, 1024, wi));
        assertEquals(0, wi[0]);
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(-4096, 4096, wi));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.readStatus(Long.MAX_VALUE - 100, 4096, wi));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.write(MIB, new byte[512]));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.writeZeroes(MIB - 512, 1024));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.deallocate(0, 512, MIB - 512, 4096));
        FakeTransportQueue.Pending shortData = io.queue.request(io.queue.allocator().directBuffer(100));
        try {
            shortData.request.data().writeZero(100);
            file.write(shortData.request, 0, 512, false);
            assertEquals(Status.SGL_INVALID_DATA | Status.DNR, shortData.await());
        } finally {
            shortData.request.data().release();
        }
        // the file shrinks behind our back: the kernel completes the short read with Internal Error
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(4096);
        }
        assertEquals(Status.INTERNAL | Status.DNR, io.readStatus(8192, 4096, wi));
        assertEquals(0, wi[0], "writer index untouched on failure");
        assertEquals(4096, file.revalidate());
        assertEquals(0, io.queue.unknownCompletions());
    }

    @Test
    void outOfSpaceMapsToCapacityExceeded() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full is needed to produce ENOSPC");
        ChannelBackend.Device device = new ChannelBackend.Device("/dev/full", full, true, 9, true, ch -> MIB);
        Io io = new Io(factory.open(device));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.write(0, new byte[4096]));
    }

    @Test
    void refusedODirectFallsBackToBufferedIo() throws IOException {
        ChannelOpener noDirect = (path, options) -> {
            if (options.contains(DirectIo.DIRECT)) {
                throw new IOException("Invalid argument");
            }
            return FileChannel.open(path, options);
        };
        try (FileBackendFactory refusing = new FileBackendFactory(2, 16, noDirect)) {
            ChannelBackend file = (ChannelBackend) refusing.open(
                    new BackendSpec(image("nodirect.img", MIB).toString(), false, 512));
            assertFalse(file.directIo());
            assertTrue(file.volatileWriteCache());
            Io io = new Io(file);
            byte[] data = Io.random(new Random(10), 4096 + 512);
            assertEquals(Status.SUCCESS, io.write(512, data));
            assertArrayEquals(data, io.read(512, data.length));
        }
    }

    @Test
    void worksOnTmpfs() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm));
        Path img = Files.createTempFile(shm, "jnvmet-backend-test", ".img");
        try {
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(MIB);
            }
            ChannelBackend file = open(img, false, 512); // O_DIRECT where the kernel's tmpfs takes it, else buffered
            Io io = new Io(file);
            byte[] data = Io.random(new Random(11), 12288);
            assertEquals(Status.SUCCESS, io.write(4096, data));
            assertArrayEquals(data, io.read(4096, data.length));
        } finally {
            Files.deleteIfExists(img);
        }
    }

    @Test
    void concurrentIoFromSeveralThreads() throws Exception {
        BlockBackend file = open(image("c.img", 16 * MIB), false, 512);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int region = t;
                futures.add(callers.submit(() -> {
                    Io io = new Io(file);
                    Random rnd = new Random(100 + region);
                    long base = region * 4L * MIB;
                    byte[] model = new byte[4 * MIB];
                    for (int i = 0; i < 120; i++) {
                        int blocks = 1 + rnd.nextInt(32);
                        int lba = rnd.nextInt(4 * MIB / 512 - blocks);
                        switch (rnd.nextInt(6)) {
                            case 0 -> {
                                assertEquals(Status.SUCCESS, io.deallocate(base + lba * 512L, blocks * 512L));
                                Arrays.fill(model, lba * 512, (lba + blocks) * 512, (byte) 0);
                            }
                            case 1 -> assertEquals(Status.SUCCESS, io.flush());
                            case 2 -> assertArrayEquals(Arrays.copyOfRange(model, lba * 512, (lba + blocks) * 512),
                                    io.read(base + lba * 512L, blocks * 512));
                            default -> {
                                byte[] data = Io.random(rnd, blocks * 512);
                                assertEquals(Status.SUCCESS, io.write(base + lba * 512L, data, rnd.nextBoolean(),
                                        Io.Buffer.values()[rnd.nextInt(Io.Buffer.values().length)]));
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
            callers.shutdown();
        }
    }

    @Test
    void acceptsOnlyRegularFiles() throws IOException {
        Path img = image("a.img", MIB);
        assertTrue(factory.accepts(new BackendSpec(img.toString(), false, 0)));
        assertFalse(factory.accepts(new BackendSpec(dir.toString(), false, 0)), "directory");
        assertFalse(factory.accepts(new BackendSpec(dir.resolve("missing").toString(), false, 0)));
        assertFalse(factory.accepts(new BackendSpec("ram:1G", false, 0)));
        assertFalse(factory.accepts(new BackendSpec("/dev/null", false, 0)), "character device");
        assertFalse(factory.accepts(new BackendSpec("bad\0path", false, 0)));
        assertEquals("file", factory.kind());
    }

    @Test
    void openFailuresNameTheDevicePath() throws IOException {
        Path img = image("b.img", MIB);
        IOException bs = assertThrows(IOException.class, () -> open(img, false, 2048));
        assertTrue(bs.getMessage().contains(img.toString()), bs.getMessage());
        IOException missing = assertThrows(IOException.class, () -> open(dir.resolve("nope.img"), false, 0));
        assertTrue(missing.getMessage().contains("nope.img"), missing.getMessage());
        assertThrows(IOException.class, () -> open(dir, false, 0));
    }

    @Test
    void closingTheFactoryClosesItsBackends() throws IOException {
        FileBackendFactory own = new FileBackendFactory(2, 16);
        Io io = new Io(own.open(new BackendSpec(image("f.img", MIB).toString(), true, 0)));
        assertEquals(Status.SUCCESS, io.write(0, new byte[4096]));
        own.close();
        assertEquals(IoErrors.INTERNAL_PATH_ERROR, io.write(0, new byte[4096]));
        assertEquals(IoErrors.INTERNAL_PATH_ERROR, io.flush());
        assertThrows(IOException.class, io.backend::revalidate);
    }

    @ParameterizedTest
    @EnumSource(Io.Buffer.class)
    void zeroLengthIoCompletesWithoutTouchingTheBuffer(Io.Buffer kind) throws IOException {
        Io io = new Io(open(image("zl.img", MIB), false, 512));
        int[] wi = new int[1];
        assertEquals(Status.SUCCESS, io.readStatus(0, 0, wi));
        assertEquals(0, wi[0]);
    }

    @Test
    void channelOptionsOfDirectMode() throws IOException {
        List<Set<? extends OpenOption>> opened = new ArrayList<>();
        ChannelOpener recording = (path, options) -> {
            opened.add(Set.copyOf(options));
            return FileChannel.open(path, options);
        };
        try (FileBackendFactory f = new FileBackendFactory(1, 4, recording)) {
            f.open(new BackendSpec(image("o.img", MIB).toString(), false, 0));
        }
        assertEquals(3, opened.size(), "buffered, direct, direct+dsync: " + opened);
        assertTrue(opened.get(1).contains(DirectIo.DIRECT));
        assertTrue(opened.get(2).contains(DirectIo.DIRECT)
                && opened.get(2).contains(java.nio.file.StandardOpenOption.DSYNC));
    }
}
