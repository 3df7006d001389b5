package org.jnvmet.backend.passthru.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnvmet.spi.passthru.QueueLimits;

/**
 * What sysfs says about NVMe controllers: which character device is which controller
 * ({@code /sys/class/nvme/nvmeN/dev}), its state, its namespaces and their queue limits. Roots are configurable so
 * tests can use a fake tree.
 */
public final class SysfsNvme {
    /** Namespace entries under a controller: nvme0n1, or nvme0c0n1 for a path of a multipath namespace. */
    private static final Pattern NAMESPACE_DIR = Pattern.compile("nvme(\\d+)(c\\d+)?n(\\d+)");
    private static final Pattern CONTROLLER = Pattern.compile("nvme(\\d+)");

    private final Path sysfs;
    private final Path dev;

    public SysfsNvme(Path sysfsRoot, Path devRoot) {
        this.sysfs = sysfsRoot;
        this.dev = devRoot;
    }

    public static SysfsNvme system() {
        return new SysfsNvme(Path.of("/sys"), Path.of("/dev"));
    }

    Path controllerDir(String controller) {
        return sysfs.resolve("class/nvme").resolve(controller);
    }

    /** The controller (e.g. "nvme0") whose character device has this device number, or null. */
    public String controllerFor(int major, int minor) {
        return classEntryFor("nvme", major, minor);
    }

    /** The generic namespace device (e.g. "ng0n1") with this device number, or null. */
    public String genericNamespaceFor(int major, int minor) {
        return classEntryFor("nvme-generic", major, minor);
    }

    private String classEntryFor(String cls, int major, int minor) {
        Path dir = sysfs.resolve("class").resolve(cls);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        String want = major + ":" + minor;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (want.equals(read(e.resolve("dev")))) {
                    return e.getFileName().toString();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Controller instance number from its name ("nvme12" -> 12), -1 if not of that form. */
    public static int instanceOf(String controller) {
        Matcher m = CONTROLLER.matcher(controller);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The controller's state ("live", "resetting", "deleting", ...), or null when it is gone from sysfs. */
    public String state(String controller) {
        return read(controllerDir(controller).resolve("state"));
    }

    /** Namespace sysfs directories of a controller by NSID. */
    public Map<Integer, Path> namespaceDirs(String controller) {
        Map<Integer, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(controllerDir(controller))) {
            for (Path e : entries) {
                if (!NAMESPACE_DIR.matcher(e.getFileName().toString()).matches()) {
                    continue;
                }
                Integer nsid = parseInt(read(e.resolve("nsid")));
                if (nsid != null && nsid > 0) {
                    out.put(nsid, e);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Capacity of a namespace in 512-byte sectors (its {@code size} attribute), or -1. */
    public long namespaceSectors(Path namespaceDir) {
        Long v = parseLong(read(namespaceDir.resolve("size")));
        return v == null ? -1 : v;
    }

    /**
     * The device node to send I/O commands for a namespace to: its generic character device (ngXnY, present even
     * for formats the block layer refuses), else its block device; for a path of a multipath namespace the
     * multipath head's nodes. Null when none exists.
     */
    public Path namespaceNode(Path namespaceDir) {
        String name = namespaceDir.getFileName().toString();
        Matcher m = NAMESPACE_DIR.matcher(name);
        if (!m.matches()) {
            return null;
        }
        String suffix = name.substring("nvme".length());
        String head = m.group(1) + "n" + m.group(3);
        for (String candidate : new String[] {"ng" + suffix, "ng" + head, "nvme" + suffix, "nvme" + head}) {
            Path p = dev.resolve(candidate);
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Queue limits of the controller: the smallest max_hw_sectors_kb and max_segments among its namespaces' queues
     * (all share the controller's limits); zeroes when it has no namespace.
     */
    public QueueLimits queueLimits(String controller) {
        int kb = 0;
        int segments = 0;
        for (Path ns : namespaceDirs(controller).values()) {
            Integer k = parseInt(read(ns.resolve("queue/max_hw_sectors_kb")));
            Integer s = parseInt(read(ns.resolve("queue/max_segments")));
            if (k != null && k > 0) {
                kb = kb == 0 ? k : Math.min(kb, k);
            }
            if (s != null && s > 0) {
                segments = segments == 0 ? s : Math.min(segments, s);
            }
        }
        return QueueLimits.of(kb, segments);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
