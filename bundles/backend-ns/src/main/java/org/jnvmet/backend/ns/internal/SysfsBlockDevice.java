package org.jnvmet.backend.ns.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A block device's sysfs attributes: {@code size} (in 512-byte sectors whatever the block size),
 * {@code queue/logical_block_size} and {@code queue/write_cache}. A partition has no queue of its own; it uses its
 * disk's (the parent directory). The sysfs root is a parameter so that tests and containers can point elsewhere.
 */
final class SysfsBlockDevice {
    static final long SECTOR_SIZE = 512;
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private final String name;
    private final Path deviceDir;
    private final Path queueDir;

    private SysfsBlockDevice(String name, Path deviceDir, Path queueDir) {
        this.name = name;
        this.deviceDir = deviceDir;
        this.queueDir = queueDir;
    }

    /**
     * Finds the sysfs directory of {@code device}: by device number ({@code <root>/dev/block/MAJ:MIN}) when the
     * path is a block device node, else by the name of the (symlink-resolved) node under {@code <root>/class/block}.
     */
    static Optional<SysfsBlockDevice> find(Path sysfsRoot, Path device) {
        Path node;
        try {
            node = device.toRealPath(); // /dev/disk/by-id/... and /dev/mapper/... are symlinks
        } catch (IOException e) {
            node = device;
        }
        Path dir = deviceNumber(node).map(n -> sysfsRoot.resolve("dev/block").resolve(n))
                .filter(Files::isDirectory)
                .orElse(null);
        if (dir == null && node.getFileName() != null) {
            dir = sysfsRoot.resolve("class/block").resolve(node.getFileName().toString());
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            dir = dir.toRealPath(); // class/block entries link into devices/; a partition's parent is its disk
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(dir.resolve("size"))) {
            return Optional.empty();
        }
        Path queue = dir.resolve("queue");
        if (!Files.isDirectory(queue) && Files.exists(dir.resolve("partition")) && dir.getParent() != null) {
            queue = dir.getParent().resolve("queue");
        }
        if (!Files.isRegularFile(queue.resolve("logical_block_size"))) {
            return Optional.empty();
        }
        return Optional.of(new SysfsBlockDevice(dir.getFileName().toString(), dir, queue));
    }

    /** "MAJ:MIN" of a block device node (glibc's gnu_dev_major/minor of st_rdev), or empty for anything else. */
    static Optional<String> deviceNumber(Path node) {
        try {
            int mode = (Integer) Files.getAttribute(node, "unix:mode");
            if ((mode & S_IFMT) != S_IFBLK) {
                return Optional.empty();
            }
            long rdev = (Long) Files.getAttribute(node, "unix:rdev");
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
            return Optional.of(major + ":" + minor);
        } catch (IOException | RuntimeException e) { // no "unix" view, or no such file
            return Optional.empty();
        }
    }

    String name() {
        return name;
    }

    Path deviceDir() {
        return deviceDir;
    }

    long sizeBytes() throws IOException {
        long sectors = readLong(deviceDir.resolve("size"));
        if (sectors < 0 || sectors > Long.MAX_VALUE / SECTOR_SIZE) {
            throw new IOException(deviceDir.resolve("size") + ": bad sector count " + sectors);
        }
        return sectors * SECTOR_SIZE;
    }

    int logicalBlockSize() throws IOException {
        long size = readLong(queueDir.resolve("logical_block_size"));
        if (size < 512 || size > IoWorkerPool.IoScratch.MAX_ALIGNMENT || Long.bitCount(size) != 1) {
            throw new IOException(queueDir.resolve("logical_block_size") + ": unsupported block size " + size);
        }
        return (int) size;
    }

    /** Whether the device has a volatile write cache ("write back"); assumed when the attribute is missing. */
    boolean writeBack() {
        try {
            return !read(queueDir.resolve("write_cache")).equals("write through");
        } catch (IOException e) {
            return true;
        }
    }

    private static long readLong(Path file) throws IOException {
        String text = read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a number: '" + text + "'", e);
        }
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file); // sysfs attributes are at most a page
        return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII).trim();
    }
}
