package org.jnvmet.backend.passthru.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sysfs and /dev tree in a temporary directory, shaped like the kernel's for NVMe controllers. */
public final class FakeSysfs {
    public final Path sysfs;
    public final Path dev;

    public FakeSysfs(Path root) {
        this.sysfs = root.resolve("sys");
        this.dev = root.resolve("dev");
        try {
            Files.createDirectories(sysfs.resolve("class/nvme"));
            Files.createDirectories(sysfs.resolve("class/nvme-generic"));
            Files.createDirectories(dev);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SysfsNvme view() {
        return new SysfsNvme(sysfs, dev);
    }

    public FakeSysfs controller(String name, String devNumber) {
        write(sysfs.resolve("class/nvme").resolve(name).resolve("dev"), devNumber);
        write(sysfs.resolve("class/nvme").resolve(name).resolve("state"), "live");
        return this;
    }

    public FakeSysfs state(String controller, String state) {
        write(sysfs.resolve("class/nvme").resolve(controller).resolve("state"), state);
        return this;
    }

    public FakeSysfs generic(String name, String devNumber) {
        write(sysfs.resolve("class/nvme-generic").resolve(name).resolve("dev"), devNumber);
        return this;
    }

    /** A namespace directory under the controller with its queue limits and size in sectors. */
    public Path namespace(String controller, String dirName, int nsid, int maxHwSectorsKb, int maxSegments,
            long sectors) {
        Path ns = sysfs.resolve("class/nvme").resolve(controller).resolve(dirName);
        write(ns.resolve("nsid"), Integer.toString(nsid));
        write(ns.resolve("size"), Long.toString(sectors));
        write(ns.resolve("queue/max_hw_sectors_kb"), Integer.toString(maxHwSectorsKb));
        write(ns.resolve("queue/max_segments"), Integer.toString(maxSegments));
        return ns;
    }

    /** A file standing in for a device node under /dev. */
    public Path node(String name) {
        Path p = dev.resolve(name);
        write(p, "");
        return p;
    }

    static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
