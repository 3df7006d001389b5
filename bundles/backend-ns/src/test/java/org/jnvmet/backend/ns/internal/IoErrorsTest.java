package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.Test;

/** errno_to_nvme_status() of drivers/nvme/target/core.c, as Java reports errno (strerror text). */
class IoErrorsTest {
    @Test
    void mapsErrnoLikeTheLinuxTarget() {
        assertEquals(0x4081, IoErrors.statusOf(new IOException("No space left on device")));
        assertEquals(0x4080, IoErrors.statusOf(new IOException("Remote I/O error")));
        assertEquals(0x4001, IoErrors.statusOf(new IOException("Operation not supported")));
        assertEquals(0x0286, IoErrors.statusOf(new IOException("No data available")));
        assertEquals(0x4006, IoErrors.statusOf(new IOException("Input/output error")), "EIO: Internal Error, DNR");
        assertEquals(0x4006, IoErrors.statusOf(new IOException("Disk quota exceeded")), "kernel default");
        assertEquals(0x4006, IoErrors.statusOf(new IOException()));
        assertEquals(0x4006, IoErrors.statusOf(new EOFException("short read")));
        assertEquals(0x4006, IoErrors.statusOf(new IllegalStateException("bug")));
        assertEquals(Status.SCT_PATH, IoErrors.statusOf(new ClosedChannelException()));
        assertEquals(Status.SCT_PATH, IoErrors.statusOf(new AsynchronousCloseException()));
        assertFalse(Status.dnr(IoErrors.INTERNAL_PATH_ERROR), "a disabled namespace is worth retrying");
        assertFalse(Status.dnr(IoErrors.BUSY));
    }

    @Test
    void rangeCheckHasNoOverflow() {
        assertTrue(IoErrors.inRange(0, 4096, 4096));
        assertTrue(IoErrors.inRange(4096, 0, 4096));
        assertFalse(IoErrors.inRange(4096, 1, 4096));
        assertFalse(IoErrors.inRange(-1, 1, 4096));
        assertFalse(IoErrors.inRange(1, -1, 4096));
        assertFalse(IoErrors.inRange(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void parsesByteSizes() {
        assertEquals(512, ByteSize.parse("512"));
        assertEquals(512 * 1024, ByteSize.parse("512K"));
        assertEquals(64L << 20, ByteSize.parse("64m"));
        assertEquals(1L << 30, ByteSize.parse("1G"));
        assertEquals(1L << 30, ByteSize.parse("1GiB"));
        assertEquals(1L << 30, ByteSize.parse("1gb"));
        assertEquals(2L << 40, ByteSize.parse("2T"));
        for (String bad : new String[] {"", "G", "1.5G", "-1", "1P", "12 34", "99999999999999999999", "9999999999T"}) {
            assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(bad), bad);
        }
    }
}
