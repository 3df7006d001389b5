package org.jnvmet.backend.passthru;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jnvmet.backend.passthru.internal.IoctlNumbers;
import org.jnvmet.backend.passthru.internal.LibC;
import org.jnvmet.backend.passthru.internal.LinuxNvmeDevice;
import org.jnvmet.backend.passthru.internal.Native;
import org.jnvmet.backend.passthru.internal.SysfsNvme;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens Linux NVMe controller character devices: device_path {@code /dev/nvmeN} or any path (a udev symlink such as
 * /dev/disk/by-id/...) that resolves to one. The path must be a character device that sysfs lists under
 * {@code /sys/class/nvme}, and the controller must answer Identify; otherwise open fails with a message naming
 * device_path. Needs the privileges of the NVMe admin ioctls (root or CAP_SYS_ADMIN).
 */
@Component(service = NvmeDeviceFactory.class, configurationPid = LinuxNvmeDeviceFactory.PID,
        property = NvmeDeviceFactory.DEVICE_PROPERTY + "=" + LinuxNvmeDeviceFactory.KIND)
@Designate(ocd = LinuxNvmeDeviceFactory.Config.class)
public final class LinuxNvmeDeviceFactory implements NvmeDeviceFactory {
    public static final String KIND = "chardev";
    public static final String PID = "org.jnvmet.passthru.chardev";
    /** S_IFMT and S_IFCHR of st_mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int PROBE_TIMEOUT_MS = 10_000;

    @ObjectClassDefinition(name = "jnvmet NVMe character devices",
            description = "Passthru of local NVMe controllers (/dev/nvmeN) through the kernel's NVMe ioctls")
    public @interface Config {
        @AttributeDefinition(name = "ioctl threads", description = "Concurrent commands per controller; each "
                + "blocks one thread in an ioctl (32 keeps a queue depth 32 host busy)")
        int threads() default 32;

        @AttributeDefinition(name = "Event poll interval (ms)", description = "How often a controller with event "
                + "listeners is polled for SMART warnings, namespace changes and removal; 0 disables")
        long eventPollMillis() default 10_000;

        @AttributeDefinition(name = "sysfs root")
        String sysfsRoot() default "/sys";

        @AttributeDefinition(name = "/dev root")
        String devRoot() default "/dev";
    }

    private final SysfsNvme sysfs;
    private final int threads;
    private final long eventPollMillis;

    @Activate
    public LinuxNvmeDeviceFactory(Config config) {
        this(new SysfsNvme(Path.of(config.sysfsRoot()), Path.of(config.devRoot())), config.threads(),
                config.eventPollMillis());
    }

    public LinuxNvmeDeviceFactory() {
        this(SysfsNvme.system(), 32, 10_000);
    }

    public LinuxNvmeDeviceFactory(SysfsNvme sysfs, int threads, long eventPollMillis) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in 1..1024: " + threads);
        }
        this.sysfs = sysfs;
        this.threads = threads;
        this.eventPollMillis = Math.max(0, eventPollMillis);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean accepts(String devicePath) {
        return devicePath != null && devicePath.startsWith("/");
    }

    @Override
    public NvmeDevice open(String devicePath) throws IOException {
        if (!accepts(devicePath)) {
            throw new IOException("device_path '" + devicePath + "' is not an absolute path");
        }
        Path real;
        try {
            real = Path.of(devicePath).toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("device_path '" + devicePath + "' does not exist", e);
        }
        int mode = (Integer) Files.getAttribute(real, "unix:mode");
        if ((mode & S_IFMT) != S_IFCHR) {
            throw new IOException("device_path '" + devicePath + "' (" + real + ") is not a character device: "
                    + "passthru exports an NVMe controller such as /dev/nvme0");
        }
        long rdev = (Long) Files.getAttribute(real, "unix:rdev");
        int major = major(rdev);
        int minor = minor(rdev);
        String controller = sysfs.controllerFor(major, minor);
        if (controller == null) {
            String ns = sysfs.genericNamespaceFor(major, minor);
            throw new IOException("device_path '" + devicePath + "' (" + real + ", char " + major + ":" + minor + ") "
                    + (ns != null ? "is the NVMe namespace " + ns + "; passthru exports a whole controller (/dev/nvmeN)"
                            : "is not an NVMe controller (no /sys/class/nvme entry has that device number)"));
        }
        LibC libc = Native.libc();
        int fd = libc.open(real.toString(), LibC.O_RDWR);
        if (fd < 0) {
            throw new IOException("device_path '" + devicePath + "': cannot open " + real + ": "
                    + Native.describe(Native.lastErrno()));
        }
        LinuxNvmeDevice device = new LinuxNvmeDevice(devicePath, controller, fd, libc, IoctlNumbers.current(), sysfs,
                threads, eventPollMillis);
        try {
            device.probe(PROBE_TIMEOUT_MS);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
        return device;
    }

    /** glibc's gnu_dev_major: bits 8-19 and 32-43 of dev_t. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xFFF) | ((dev >>> 32) & ~0xFFFL));
    }

    /** glibc's gnu_dev_minor: bits 0-7 and 20-39 of dev_t. */
    static int minor(long dev) {
        return (int) ((dev & 0xFF) | ((dev >>> 12) & ~0xFFL));
    }
}
