package org.jnvmet.backend.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jnvmet.backend.passthru.internal.FakeSysfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening device paths that are not NVMe controllers: each failure names device_path and says why. */
class LinuxNvmeDeviceFactoryTest {
    static String devNull;

    @TempDir
    Path root;

    @BeforeAll
    static void devNullNumber() throws IOException {
        long rdev = (Long) Files.getAttribute(Path.of("/dev/null"), "unix:rdev");
        devNull = LinuxNvmeDeviceFactory.major(rdev) + ":" + LinuxNvmeDeviceFactory.minor(rdev);
    }

    private LinuxNvmeDeviceFactory factory(FakeSysfs fs) {
        return new LinuxNvmeDeviceFactory(fs.view(), 2, 0);
    }

    private String failure(LinuxNvmeDeviceFactory f, String path) {
        return assertThrows(IOException.class, () -> f.open(path)).getMessage();
    }

    @Test
    void acceptsAbsolutePathsOnly() {
        LinuxNvmeDeviceFactory f = factory(new FakeSysfs(root));
        assertTrue(f.accepts("/dev/nvme0"));
        assertFalse(f.accepts("emulated:x"));
        assertFalse(f.accepts("nvme0"));
        assertEquals("chardev", f.kind());
    }

    @Test
    void missingPath() {
        String m = failure(factory(new FakeSysfs(root)), "/dev/nvme-does-not-exist");
        assertTrue(m.contains("'/dev/nvme-does-not-exist'") && m.contains("does not exist"), m);
    }

    @Test
    void regularFileIsNotACharacterDevice() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "x");
        String m = failure(factory(new FakeSysfs(root)), file.toString());
        assertTrue(m.contains("'" + file + "'") && m.contains("not a character device"), m);
    }

    @Test
    void characterDeviceThatIsNoNvmeController() {
        String m = failure(factory(new FakeSysfs(root)), "/dev/null");
        assertTrue(m.contains("'/dev/null'") && m.contains("is not an NVMe controller"), m);
    }

    @Test
    void namespaceDeviceIsRefusedWithAHint() {
        FakeSysfs fs = new FakeSysfs(root).generic("ng0n1", devNull);
        String m = failure(factory(fs), "/dev/null");
        assertTrue(m.contains("NVMe namespace ng0n1") && m.contains("/dev/nvmeN"), m);
    }

    @Test
    void symlinksAreFollowedAndTheIdentifyProbeRejectsNonNvme() throws IOException {
        // sysfs claims /dev/null is controller nvme7: the path passes the checks, the Identify ioctl does not
        FakeSysfs fs = new FakeSysfs(root).controller("nvme7", devNull);
        Path link = Files.createSymbolicLink(root.resolve("by-id-link"), Path.of("/dev/null"));
        String m = failure(factory(fs), link.toString());
        assertTrue(m.contains("'" + link + "'") && m.contains("ENOTTY") && m.contains("not an NVMe controller"), m);
    }

    @Test
    void deviceNumbersDecodeLikeGlibc() {
        assertEquals(1, LinuxNvmeDeviceFactory.major(0x0103));
        assertEquals(3, LinuxNvmeDeviceFactory.minor(0x0103));
        for (long[] mm : new long[][] {{259, 1048575}, {0x7FFFF, 0x345}, {240, 0}}) {
            long major = mm[0];
            long minor = mm[1];
            // glibc gnu_dev_makedev
            long dev = (minor & 0xFFL) | ((major & 0xFFFL) << 8) | ((minor & ~0xFFL) << 12) | ((major & ~0xFFFL) << 32);
            assertEquals(major, LinuxNvmeDeviceFactory.major(dev));
            assertEquals(minor, LinuxNvmeDeviceFactory.minor(dev));
        }
    }
}
