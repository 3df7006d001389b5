package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sysfs parsing against a fake sysfs tree, I/O through a regular file described by that tree, and, where
 * {@code losetup} works (root), the whole path against a real loop device.
 */
class BlockDeviceBackendTest {
    static {
        LeakWatch.install();
    }

    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private BlockDeviceBackendFactory factory;

    @AfterEach
    void closeFactory() {
        if (factory != null) {
            factory.close();
        }
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    /** root/devices/virtual/block/fakedisk (+ partition fakedisk1) linked from root/class/block. */
    private Path fakeSysfs(long diskSectors, int logicalBlockSize, String writeCache) throws IOException {
        Path root = tmp.resolve("sys");
        Path disk = Files.createDirectories(root.resolve("devices/virtual/block/fakedisk"));
        write(disk.resolve("size"), diskSectors + "\n");
        Files.createDirectories(disk.resolve("queue"));
        write(disk.resolve("queue/logical_block_size"), logicalBlockSize + "\n");
        write(disk.resolve("queue/write_cache"), writeCache + "\n");
        Path part = Files.createDirectories(disk.resolve("fakedisk1"));
        write(part.resolve("size"), "1024\n");
        write(part.resolve("partition"), "1\n");
        Path classBlock = Files.createDirectories(root.resolve("class/block"));
        Files.createSymbolicLink(classBlock.resolve("fakedisk"), Path.of("../../devices/virtual/block/fakedisk"));
        Files.createSymbolicLink(classBlock.resolve("fakedisk1"),
                Path.of("../../devices/virtual/block/fakedisk/fakedisk1"));
        return root;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    @Test
    void parsesDiskAndPartitionFromFakeSysfs() throws IOException {
        Path root = fakeSysfs(4096, 4096, "write through");
        SysfsBlockDevice disk = SysfsBlockDevice.find(root, Path.of("/dev/fakedisk")).orElseThrow();
        assertEquals("fakedisk", disk.name());
        assertEquals(4096L * 512, disk.sizeBytes(), "size is in 512-byte sectors whatever the block size");
        assertEquals(4096, disk.logicalBlockSize());
        assertFalse(disk.writeBack());

        SysfsBlockDevice part = SysfsBlockDevice.find(root, Path.of("/dev/fakedisk1")).orElseThrow();
        assertEquals(1024L * 512, part.sizeBytes());
        assertEquals(4096, part.logicalBlockSize(), "a partition uses its disk's queue");

        write(root.resolve("devices/virtual/block/fakedisk/queue/write_cache"), "write back\n");
        assertTrue(disk.writeBack());
        assertTrue(SysfsBlockDevice.find(root, Path.of("/dev/nothere")).isEmpty());

        // a symlink to the node (like /dev/disk/by-id/...) resolves to the node's name
        Path devDir = Files.createDirectories(tmp.resolve("dev"));
        Path node = Files.createFile(devDir.resolve("fakedisk"));
        Path link = Files.createSymbolicLink(devDir.resolve("by-id-xyz"), node);
        assertEquals("fakedisk", SysfsBlockDevice.find(root, link).orElseThrow().name());
    }

    @Test
    void malformedSysfsValuesAreErrorsNotCrashes() throws IOException {
        Path root = fakeSysfs(4096, 512, "write back");
        SysfsBlockDevice disk = SysfsBlockDevice.find(root, Path.of("/dev/fakedisk")).orElseThrow();
        write(root.resolve("devices/virtual/block/fakedisk/size"), "lots\n");
        assertThrows(IOException.class, disk::sizeBytes);
        write(root.resolve("devices/virtual/block/fakedisk/queue/logical_block_size"), "1000\n");
        assertThrows(IOException.class, disk::logicalBlockSize);
        write(root.resolve("devices/virtual/block/fakedisk/size"), "-5\n");
        assertThrows(IOException.class, disk::sizeBytes);
        Files.delete(root.resolve("devices/virtual/block/fakedisk/queue/write_cache"));
        assertTrue(disk.writeBack(), "unknown cache: assume volatile so hosts flush");
    }

    @Test
    void ioThroughAFakeDeviceUsesSysfsCapacityBlockSizeAndCache() throws IOException {
        Path root = fakeSysfs(2 * MIB / 512, 4096, "write through");
        factory = new BlockDeviceBackendFactory(2, 64, root);
        Path image = tmp.resolve("fakedisk");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(4L * MIB);
        }
        BackendSpec spec = new BackendSpec(image.toString(), false, 0);
        assertFalse(factory.accepts(spec), "a regular file is not a block device");
        assertThrows(IOException.class, () -> factory.open(spec));

        ChannelBackend dev = factory.open(factory.deviceFor(spec, image));
        assertEquals(2L * MIB, dev.capacity(), "capacity from sysfs size, not the file");
        assertEquals(12, dev.blockSizeShift());
        assertFalse(dev.volatileWriteCache(), "write through + O_DIRECT: nothing volatile");
        Io io = new Io(dev);
        byte[] data = Io.random(new Random(1), 64 * 1024);
        assertEquals(Status.SUCCESS, io.write(MIB, data));
        FakeTransportQueue.Pending p = io.queue.request(null);
        dev.flush(p.request);
        assertEquals(Status.SUCCESS, p.await());
        assertTrue(p.thread().startsWith("jnvmet-bdev-"), p.thread());
        assertArrayEquals(data, io.read(MIB, data.length));
        assertEquals(Status.CAP_EXCEEDED | Status.DNR, io.write(2L * MIB, new byte[4096]));

        write(root.resolve("devices/virtual/block/fakedisk/size"), (4 * MIB / 512) + "\n");
        assertEquals(4L * MIB, dev.revalidate());
        assertEquals(Status.SUCCESS, io.write(3L * MIB, data));
        assertArrayEquals(data, io.read(3L * MIB, data.length));

        ChannelBackend buffered = factory.open(factory.deviceFor(new BackendSpec(image.toString(), true, 0), image));
        assertTrue(buffered.volatileWriteCache(), "the page cache is volatile");
    }

    @Test
    void acceptsNoRegularFilesRamPathsOrCharacterDevices() {
        factory = new BlockDeviceBackendFactory();
        assertEquals("bdev", factory.kind());
        assertFalse(factory.accepts(new BackendSpec("ram:1G", false, 0)));
        assertFalse(factory.accepts(new BackendSpec("/dev/null", false, 0)), "character device");
        assertFalse(factory.accepts(new BackendSpec("/etc/hostname", false, 0)));
        assertFalse(factory.accepts(new BackendSpec("/dev/definitely-not-there", false, 0)));
        IOException e = assertThrows(IOException.class,
                () -> factory.open(new BackendSpec("/dev/null", false, 0)));
        assertTrue(e.getMessage().contains("/dev/null"), e.getMessage());
    }

    /** A real loop device; skipped where losetup is unavailable or not permitted. */
    @Test
    void realLoopDevice() throws Exception {
        Path image = tmp.resolve("loop.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L * MIB);
        }
        String loop = run("losetup", "-f", "--show", image.toString());
        assumeTrue(loop != null && loop.startsWith("/dev/loop"), "losetup not usable here");
        try {
            factory = new BlockDeviceBackendFactory(4, 64, Path.of("/sys"));
            BackendSpec spec = new BackendSpec(loop, false, 0);
            assertTrue(factory.accepts(spec));
            try (FileBackendFactory files = new FileBackendFactory(1, 4)) {
                assertFalse(files.accepts(spec), "the file backend refuses block devices");
            }
            ChannelBackend dev = (ChannelBackend) factory.open(spec);
            assertEquals(8L * MIB, dev.capacity());
            assertEquals(9, dev.blockSizeShift());
            assertTrue(dev.directIo());
            Io io = new Io(dev);
            Random rnd = new Random(2);
            byte[] model = new byte[8 * MIB];
            for (int i = 0; i < 40; i++) {
                int blocks = 1 + rnd.nextInt(i % 5 == 0 ? 1024 : 16);
                int lba = rnd.nextInt(8 * MIB / 512 - blocks);
                byte[] data = Io.random(rnd, blocks * 512);
                assertEquals(Status.SUCCESS, io.write(lba * 512L, data, rnd.nextBoolean(),
                        Io.Buffer.values()[i % Io.Buffer.values().length]));
                System.arraycopy(data, 0, model, lba * 512, data.length);
            }
            assertEquals(Status.SUCCESS, io.deallocate(MIB + 512, 70000 - 70000 % 512));
            Arrays.fill(model, MIB + 512, MIB + 512 + 70000 - 70000 % 512, (byte) 0);
            assertEquals(Status.SUCCESS, io.writeZeroes(5L * MIB, MIB));
            Arrays.fill(model, 5 * MIB, 6 * MIB, (byte) 0);
            assertArrayEquals(model, io.read(0, 8 * MIB));
            assertEquals(Status.SUCCESS, io.flush());

            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(12L * MIB);
            }
            assertTrue(run("losetup", "-c", loop) != null, "losetup -c");
            assertEquals(12L * MIB, dev.revalidate());
            byte[] tail = Io.random(rnd, 8192);
            assertEquals(Status.SUCCESS, io.write(12L * MIB - 8192, tail));
            assertArrayEquals(tail, io.read(12L * MIB - 8192, 8192));
            dev.close();
            byte[] backing = Files.readAllBytes(image);
            assertArrayEquals(model, Arrays.copyOf(backing, 8 * MIB), "data reached the loop device's file");
        } finally {
            run("losetup", "-d", loop);
        }
    }

    /** Runs a command; its trimmed output, or null when it fails. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
