package org.jnvmet.backend.passthru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.DeviceResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ioctl path against files that are not NVMe devices: every error must surface as an errno, never hang. */
class LinuxNvmeDeviceTest {
    @TempDir
    Path root;
    FakeSysfs fs;
    LinuxNvmeDevice device;
    ByteBuf sqe;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FakeSysfs(root).controller("nvme5", "240:5");
        fs.namespace("nvme5", "nvme5n1", 1, 128, 33, 2048);
        fs.node("ng5n1"); // a regular file where the namespace's char device would be
        Path ctrl = Files.writeString(root.resolve("ctrl"), "");
        int fd = Native.libc().open(ctrl.toString(), LibC.O_RDWR);
        assertTrue(fd >= 0);
        device = new LinuxNvmeDevice("/dev/nvme5", "nvme5", fd, Native.libc(), IoctlNumbers.current(), fs.view(), 4,
                0);
        sqe = Unpooled.buffer(64).writeZero(64);
    }

    @AfterEach
    void tearDown() {
        device.close();
        sqe.release();
    }

    @Test
    void identityAndLimitsComeFromSysfs() {
        assertEquals("nvme5", device.name());
        assertEquals(5, device.instance());
        assertEquals("/dev/nvme5", device.devicePath());
        assertEquals(128, device.queueLimits().maxHwSectorsKb());
        assertEquals(33, device.queueLimits().maxSegments());
    }

    @Test
    void adminIoctlOnANonNvmeFdCompletesWithEnottyOnADeviceThread() throws Exception {
        IdentifyCommand.set(sqe, 1, 0, 0);
        ByteBuf data = Unpooled.directBuffer(4096);
        CompletableFuture<String> thread = new CompletableFuture<>();
        CompletableFuture<DeviceResult> done = new CompletableFuture<>();
        device.submitAdmin(sqe, data, 4096, 0, (status, result) -> {
            thread.complete(Thread.currentThread().getName());
            done.complete(new DeviceResult(status, result));
        });
        DeviceResult r = done.get(5, TimeUnit.SECONDS);
        assertEquals(-Errno.ENOTTY, r.status());
        assertEquals(Status.INTERNAL, DeviceCompletion.toNvmeStatus(r.status()));
        assertEquals(0, data.writerIndex(), "nothing was read");
        assertTrue(thread.get().startsWith("jnvmet-passthru-nvme5-"));
        assertNotEquals(Thread.currentThread().getName(), thread.get());
        data.release();
    }

    @Test
    void ioGoesToTheNamespaceNode() throws Exception {
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 8, false);
        ByteBuf heap = Unpooled.buffer(4096); // a heap buffer takes the bounce path
        DeviceResult r = device.submitIo(sqe, heap, 4096, 0).get(5, TimeUnit.SECONDS);
        assertEquals(-Errno.ENOTTY, r.status()); // the node opened: it is just not an NVMe namespace
        heap.release();
    }

    @Test
    void missingNamespaceIsInvalidNamespace() throws Exception {
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 9, 0, 1, false);
        ByteBuf data = Unpooled.directBuffer(512);
        DeviceResult r = device.submitIo(sqe, data, 512, 0).get(5, TimeUnit.SECONDS);
        assertEquals(Status.INVALID_NS | Status.DNR, r.status());
        data.release();
    }

    @Test
    void badLengthsAreRefusedBeforeTheIoctl() throws Exception {
        ByteBuf small = Unpooled.directBuffer(512, 512);
        IdentifyCommand.set(sqe, 1, 0, 0);
        assertEquals(-Errno.EINVAL, device.submitAdmin(sqe, small, 4096, 0).get(5, TimeUnit.SECONDS).status());
        // above max_hw_sectors_kb (128 KiB)
        ByteBuf big = Unpooled.directBuffer(256 << 10);
        assertEquals(-Errno.EINVAL, device.submitAdmin(sqe, big, 256 << 10, 0).get(5, TimeUnit.SECONDS).status());
        small.release();
        big.release();
    }

    @Test
    void closedDeviceFailsWithEbadf() throws Exception {
        device.close();
        IdentifyCommand.set(sqe, 1, 0, 0);
        assertEquals(-Errno.EBADF, device.submitAdmin(sqe, null, 0, 0).get(5, TimeUnit.SECONDS).status());
        assertFalse(device.isRemoved());
    }

    @Test
    void pollingNoticesRemoval() throws Exception {
        CompletableFuture<String> removed = new CompletableFuture<>();
        device.addEventListener((d, e) -> removed.complete(e.kind().name()));
        fs.state("nvme5", "deleting");
        device.poll();
        assertEquals("REMOVED", removed.get(5, TimeUnit.SECONDS));
        assertTrue(device.isRemoved());
        IdentifyCommand.set(sqe, 1, 0, 0);
        assertEquals(-Errno.ENODEV, device.submitAdmin(sqe, null, 0, 0).get(5, TimeUnit.SECONDS).status());
    }
}
