package org.jnvmet.backend.passthru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeTest {
    @Test
    void libcLoadsThroughJnrFfi() {
        assertTrue(Native.isAvailable());
        assertEquals(Platform.OS.LINUX, Platform.getNativePlatform().getOS());
        assertEquals(8, Native.runtime().addressSize());
    }

    @Test
    void nvmeIoctlOnARegularFileFailsWithEnotty(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-device"), "x");
        LibC libc = Native.libc();
        int fd = libc.open(file.toString(), LibC.O_RDWR);
        assertTrue(fd >= 0, "open failed: " + Native.describe(Native.lastErrno()));
        try {
            var cmd = Native.allocate(PassthruCmd64.SIZE);
            int rc = libc.ioctl(fd, IoctlNumbers.current().nvmeAdmin64(), cmd.address());
            assertEquals(-1, rc);
            assertEquals(Errno.ENOTTY, Native.lastErrno());
        } finally {
            libc.close(fd);
        }
    }

    @Test
    void errnoOfOpenIsSaved(@TempDir Path dir) {
        assertEquals(-1, Native.libc().open(dir.resolve("missing").toString(), LibC.O_RDONLY));
        assertEquals(Errno.ENOENT, Native.lastErrno());
        assertEquals("ENOTTY (Inappropriate ioctl for device)", Native.describe(Errno.ENOTTY));
    }
}
