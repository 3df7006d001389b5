package org.jnvmet.backend.passthru.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.DeviceEventListener;
import org.jnvmet.spi.passthru.DeviceResult;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.QueueLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux NVMe controller character device (/dev/nvmeN). Admin commands go to the controller with
 * NVME_IOCTL_ADMIN64_CMD; I/O commands to the namespace's own device node (ngXnY, else nvmeXnY) with
 * NVME_IOCTL_IO64_CMD, since the controller node accepts no 64-bit I/O ioctl. The ioctls block, so they run on a
 * bounded pool of this device's threads, never on the submitter's.
 *
 * <p>The kernel offers no event stream for a controller's AENs, so events come from polling while listeners are
 * registered: the SMART critical warning, the namespace list and sizes in sysfs, and the controller state.
 */
public final class LinuxNvmeDevice implements NvmeDevice {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxNvmeDevice.class);
    /** Namespace lookups that miss rescan sysfs at most this often, so bogus NSIDs cannot flood it. */
    private static final long RESCAN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int NO_NAMESPACE = Integer.MIN_VALUE;
    private static final int POLL_TIMEOUT_SECONDS = 10;

    private final String devicePath;
    private final String controller;
    private final int instance;
    private final int fd;
    private final LibC libc;
    private final SysfsNvme sysfs;
    private final long admin64;
    private final long io64;
    private final ThreadPoolExecutor pool;
    private final long pollMillis;
    private final EventListeners listeners = new EventListeners();
    private final ConcurrentHashMap<Integer, Integer> namespaceFds = new ConcurrentHashMap<>();
    /** Namespace fds that went stale; closed with the device, as another thread may still be using them. */
    private final List<Integer> retiredFds = new CopyOnWriteArrayList<>();
    private final Object namespaceLock = new Object();
    private volatile Map<Integer, Path> namespaceDirs = Map.of();
    private volatile long lastRescanNanos;
    private volatile QueueLimits limits;
    private volatile int version;
    private volatile boolean multipleCommandSets;
    private volatile boolean closed;
    private volatile boolean removed;
    private ScheduledExecutorService poller;
    private int lastCriticalWarning;
    private Map<Integer, Long> lastNamespaceSizes;

    /**
     * @param fd          an open file descriptor of the controller; the device owns and closes it
     * @param threads     largest number of concurrent ioctls
     * @param pollMillis  event polling interval while listeners are registered; 0 for none
     */
    public LinuxNvmeDevice(String devicePath, String controller, int fd, LibC libc, IoctlNumbers ioctls,
            SysfsNvme sysfs, int threads, long pollMillis) {
        this.devicePath = devicePath;
        this.controller = controller;
        this.instance = SysfsNvme.instanceOf(controller);
        this.fd = fd;
        this.libc = libc;
        this.sysfs = sysfs;
        this.admin64 = ioctls.nvmeAdmin64();
        this.io64 = ioctls.nvmeIo64();
        this.pollMillis = pollMillis;
        this.limits = sysfs.queueLimits(controller);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new IoctlThread(r, "jnvmet-passthru-" + controller + "-" + n.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Reads Identify Controller: proves the fd is an NVMe controller that answers admin commands and learns its
     * version and command sets. Fails with a message naming device_path otherwise.
     */
    public void probe(int timeoutMs) throws IOException {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE).writeZero(64);
        ByteBuf id = Unpooled.directBuffer(IdentifyCns.DATA_SIZE, IdentifyCns.DATA_SIZE);
        try {
            IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
            DeviceResult r = await(submitAdmin(sqe, id, IdentifyCns.DATA_SIZE, timeoutMs));
            if (r.isErrno()) {
                throw new IOException("device_path '" + devicePath + "': NVME_IOCTL_ADMIN64_CMD (Identify) failed: "
                        + Native.describe(r.status()) + (r.status() == -Errno.ENOTTY
                                ? " - not an NVMe controller character device" : ""));
            }
            if (!r.isSuccess()) {
                throw new IOException("device_path '" + devicePath + "': Identify Controller failed with NVMe status "
                        + Status.toString(r.status()));
            }
            version = id.getIntLE(IdentifyController.VER);
            if (Integer.compareUnsigned(version, 0x00010400) >= 0) {
                // CNS 1Ch exists only on controllers enabled with I/O command sets (CAP.CSS bit 6)
                IdentifyCommand.set(sqe, 0x1C, 0, 0);
                id.clear();
                multipleCommandSets = await(submitAdmin(sqe, id, IdentifyCns.DATA_SIZE, timeoutMs)).isSuccess();
            }
        } finally {
            sqe.release();
            id.release();
        }
    }

    private static DeviceResult await(java.util.concurrent.CompletableFuture<DeviceResult> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    public String devicePath() {
        return devicePath;
    }

    @Override
    public String name() {
        return controller;
    }

    @Override
    public int instance() {
        return instance;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public boolean multipleCommandSets() {
        return multipleCommandSets;
    }

    @Override
    public QueueLimits queueLimits() {
        return limits;
    }

    @Override
    public void submitAdmin(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        submit(true, sqe, data, length, timeoutMs, completion);
    }

    @Override
    public void submitIo(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        submit(false, sqe, data, length, timeoutMs, completion);
    }

    private void submit(boolean admin, ByteBuf sqe, ByteBuf data, int length, int timeoutMs,
            DeviceCompletion completion) {
        QueueLimits l = limits;
        long max = l.maxHwSectorsKb() == 0 ? 0 : (long) l.maxHwSectorsKb() << 10;
        int err = closed ? -Errno.EBADF : removed ? -Errno.ENODEV : Transfers.prepare(sqe, data, length, max);
        if (err != 0) {
            completion.complete(err, 0);
            return;
        }
        try {
            pool.execute(() -> execute(admin, sqe, data, length, timeoutMs, completion));
        } catch (RejectedExecutionException e) {
            completion.complete(-Errno.EBADF, 0);
        }
    }

    /** Runs on a pool thread: one blocking ioctl. */
    private void execute(boolean admin, ByteBuf sqe, ByteBuf data, int length, int timeoutMs,
            DeviceCompletion completion) {
        int status;
        long result = 0;
        try {
            int target = closed ? -Errno.EBADF : admin ? fd : namespaceFd(SubmissionQueueEntry.nsid(sqe));
            if (target == NO_NAMESPACE) {
                status = Status.INVALID_NS | Status.DNR;
            } else if (target < 0) {
                status = target;
            } else {
                Pointer cmd = ((IoctlThread) Thread.currentThread()).cmd;
                status = ioctl(admin, target, cmd, sqe, data, length, timeoutMs);
                result = status >= 0 ? PassthruCmd64.result(cmd) : 0;
            }
        } catch (RuntimeException e) {
            LOG.warn("passthru ioctl on {} failed", controller, e);
            status = -Errno.EIO;
        }
        completion.complete(status, result);
    }

    private int ioctl(boolean admin, int target, Pointer cmd, ByteBuf sqe, ByteBuf data, int length, int timeoutMs) {
        boolean reads = Transfers.readsIntoBuffer(SubmissionQueueEntry.opcode(sqe));
        int index = length == 0 ? 0 : reads ? data.writerIndex() : data.readerIndex();
        long addr = 0;
        Pointer bounce = null;
        if (length > 0) {
            if (data.hasMemoryAddress()) {
                addr = data.memoryAddress() + index;
            } else if (data.isDirect() && data.nioBufferCount() == 1) {
                addr = Pointer.wrap(Native.runtime(), data.nioBuffer(index, length)).address();
            } else {
                bounce = Native.allocate(length); // heap or composite buffer: copy through native memory
                if (!reads) {
                    byte[] tmp = new byte[length];
                    data.getBytes(index, tmp);
                    bounce.put(0, tmp, 0, length);
                }
                addr = bounce.address();
            }
        }
        PassthruCmd64.encode(cmd, sqe, addr, length, timeoutMs);
        int rc = libc.ioctl(target, admin ? admin64 : io64, cmd.address());
        if (rc < 0) {
            int errno = Native.lastErrno();
            if (errno == Errno.ENODEV) {
                if (admin) {
                    markRemoved();
                } else {
                    retireNamespaceFd(target);
                }
            }
            return -errno;
        }
        if (rc == 0 && reads && length > 0) {
            if (bounce != null) {
                byte[] tmp = new byte[length];
                bounce.get(0, tmp, 0, length);
                data.setBytes(index, tmp);
            }
            data.writerIndex(index + length);
        }
        return rc;
    }

    /** The fd for I/O to {@code nsid}: opened on first use; NO_NAMESPACE or a negative errno when impossible. */
    private int namespaceFd(int nsid) {
        Integer cached = namespaceFds.get(nsid);
        if (cached != null) {
            return cached;
        }
        synchronized (namespaceLock) {
            cached = namespaceFds.get(nsid);
            if (cached != null) {
                return cached;
            }
            Path dir = namespaceDirs.get(nsid);
            long now = System.nanoTime();
            if (dir == null && now - lastRescanNanos >= RESCAN_INTERVAL_NANOS) {
                lastRescanNanos = now;
                namespaceDirs = sysfs.namespaceDirs(controller);
                dir = namespaceDirs.get(nsid);
            }
            Path node = dir == null ? null : sysfs.namespaceNode(dir);
            if (node == null) {
                return NO_NAMESPACE;
            }
            int nsFd = libc.open(node.toString(), LibC.O_RDWR);
            if (nsFd < 0) {
                int errno = Native.lastErrno();
                LOG.warn("cannot open {} for namespace {} of {}: {}", node, nsid, controller, Native.describe(errno));
                return -errno;
            }
            namespaceFds.put(nsid, nsFd);
            return nsFd;
        }
    }

    private void retireNamespaceFd(int nsFd) {
        if (namespaceFds.values().remove(nsFd)) {
            retiredFds.add(nsFd);
            lastRescanNanos = 0;
        }
    }

    private void markRemoved() {
        if (!removed) {
            removed = true;
            LOG.warn("NVMe controller {} ({}) is gone", controller, devicePath);
            listeners.fire(this, DeviceEvent.removed());
        }
    }

    @Override
    public synchronized void addEventListener(DeviceEventListener listener) {
        listeners.add(listener);
        if (poller == null && pollMillis > 0 && !closed) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jnvmet-passthru-" + controller + "-events");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void removeEventListener(DeviceEventListener listener) {
        listeners.remove(listener);
    }

    /** One round of event polling (poller thread). */
    void poll() {
        if (closed || removed || listeners.isEmpty()) {
            return;
        }
        try {
            String state = sysfs.state(controller);
            if (state == null || state.startsWith("deleting") || state.equals("dead")) {
                markRemoved();
                return;
            }
            pollSmart();
            pollNamespaces();
        } catch (RuntimeException | IOException | TimeoutException e) {
            LOG.debug("event poll of {} failed", controller, e);
        }
    }

    private void pollSmart() throws IOException, TimeoutException {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE).writeZero(SubmissionQueueEntry.SIZE);
        ByteBuf log = Unpooled.directBuffer(SmartHealthLog.SIZE);
        try {
            GetLogPageCommand.set(sqe, LogPageId.SMART_HEALTH, -1, SmartHealthLog.SIZE, 0, true);
            DeviceResult r = submitAdmin(sqe, log, SmartHealthLog.SIZE, 0).get(POLL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (r.isSuccess()) {
                int warning = log.getUnsignedByte(SmartHealthLog.CRITICAL_WARNING);
                if ((warning & ~lastCriticalWarning) != 0) {
                    listeners.fire(this, DeviceEvent.smartCriticalWarning(warning));
                }
                lastCriticalWarning = warning;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            sqe.release();
            log.release();
        }
    }

    private void pollNamespaces() {
        Map<Integer, Path> dirs = sysfs.namespaceDirs(controller);
        Map<Integer, Long> sizes = new HashMap<>();
        dirs.forEach((nsid, dir) -> sizes.put(nsid, sysfs.namespaceSectors(dir)));
        Map<Integer, Long> previous = lastNamespaceSizes;
        lastNamespaceSizes = sizes;
        if (previous == null) {
            return;
        }
        namespaceDirs = dirs;
        for (Map.Entry<Integer, Long> e : sizes.entrySet()) {
            if (!e.getValue().equals(previous.get(e.getKey()))) {
                listeners.fire(this, DeviceEvent.namespaceChanged(e.getKey()));
            }
        }
        for (Integer gone : previous.keySet()) {
            if (!sizes.containsKey(gone)) {
                Integer stale = namespaceFds.get(gone);
                if (stale != null) {
                    retireNamespaceFd(stale);
                }
                listeners.fire(this, DeviceEvent.namespaceChanged(gone));
            }
        }
        QueueLimits now = sysfs.queueLimits(controller);
        if (now.maxHwSectorsKb() != 0) {
            limits = now; // a namespace appeared on a controller that had none
        }
    }

    @Override
    public boolean isRemoved() {
        return removed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (poller != null) {
                poller.shutdownNow();
            }
        }
        listeners.clear();
        pool.shutdown();
        // ioctls in flight still use the fds: close them once the pool has drained
        Runnable closeFds = () -> {
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warn("waiting for passthru commands on {} before closing it", controller);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            namespaceFds.values().forEach(libc::close);
            retiredFds.forEach(libc::close);
            libc.close(fd);
        };
        if (drained(200)) {
            closeFds.run();
        } else {
            Thread t = new Thread(closeFds, "jnvmet-passthru-" + controller + "-close");
            t.setDaemon(true);
            t.start();
        }
    }

    private boolean drained(long millis) {
        try {
            return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return controller + " (" + devicePath + ")";
    }
}
