package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jnvmet.backend.passthru.internal.Errno;
import org.jnvmet.backend.passthru.internal.Transfers;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.FirmwareSlotLog;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RAM-backed NVMe controller: the "hardware" that {@link #open} hands out {@link NvmeDevice} handles to. It
 * outlives its handles (like a real controller outlives the file descriptors opened on it) until
 * {@link #shutdown()}. Commands execute on the controller's own threads; {@link #faults()} injects errors and
 * delays, {@link #remove()} makes it vanish like a hot-removed device, and the event methods raise the events a
 * passthru target can forward as AENs.
 */
public final class EmulatedNvmeController {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatedNvmeController.class);
    /** Linux driver defaults applied when a command's timeout is 0 (nvme_admin_timeout, nvme_io_timeout). */
    static final int DEFAULT_ADMIN_TIMEOUT_MS = 60_000;
    static final int DEFAULT_IO_TIMEOUT_MS = 30_000;

    private final String name;
    private final EmulatedControllerConfig config;
    private final ConcurrentSkipListMap<Integer, EmulatedNamespace> namespaces = new ConcurrentSkipListMap<>();
    private final ControllerLogs logs = new ControllerLogs();
    private final FeatureStore features = new FeatureStore();
    private final FaultInjector faults = new FaultInjector();
    private final AdminCommands adminCommands = new AdminCommands(this);
    private final IoCommands ioCommands = new IoCommands(this);
    private final ScheduledThreadPoolExecutor executor;
    private final Set<EmulatedDevice> handles = new CopyOnWriteArraySet<>();
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray adminExecuted = new AtomicLongArray(256);
    private final AtomicLongArray ioExecuted = new AtomicLongArray(256);
    private final int maxNsid;
    private volatile boolean removed;

    // firmware: revisions of slots 1..FIRMWARE_SLOTS, the active slot and the one activated at the next reset
    private final String[] slotRevisions = new String[AdminCommands.FIRMWARE_SLOTS + 1];
    private volatile int activeSlot = 1;
    private volatile int nextSlot;
    private byte[] firmwareImage = new byte[0];
    private volatile int sanitizeStatus;
    /** Data of the vendor admin command C1h. */
    volatile byte[] adminScratch = new byte[0];

    public EmulatedNvmeController(String name, EmulatedControllerConfig config) {
        this.name = name;
        this.config = config;
        int max = 0;
        for (EmulatedNamespaceConfig ns : config.namespaces()) {
            namespaces.put(ns.nsid(), new EmulatedNamespace(config.serial(), ns));
            max = Math.max(max, ns.nsid());
        }
        this.maxNsid = Math.max(max, 1);
        slotRevisions[1] = config.firmware();
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(config.commandThreads(), r -> {
            Thread t = new Thread(r, "jnvmet-emulated-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    public static EmulatedNvmeController withDefaults(String name) {
        return new EmulatedNvmeController(name, EmulatedControllerConfig.defaults(name));
    }

    public String name() {
        return name;
    }

    public EmulatedControllerConfig config() {
        return config;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Opens a handle, as opening the controller's character device would. */
    public NvmeDevice open(String devicePath) {
        EmulatedDevice d = new EmulatedDevice(this, devicePath);
        handles.add(d);
        return d;
    }

    void closed(EmulatedDevice d) {
        handles.remove(d);
    }

    /** Handles currently open. */
    public int openHandles() {
        return handles.size();
    }

    // ---- fault injection and events

    /**
     * The controller disappears (hot removal, controller death): every command, including those in flight,
     * completes with ENODEV, and handles report {@link DeviceEvent.Kind#REMOVED}.
     */
    public void remove() {
        if (removed) {
            return;
        }
        removed = true;
        LOG.info("emulated NVMe controller {} removed", name);
        fire(DeviceEvent.removed());
    }

    public boolean isRemoved() {
        return removed;
    }

    /** Sets the SMART critical warning bits; newly set bits raise {@link DeviceEvent.Kind#SMART_CRITICAL_WARNING}. */
    public void setCriticalWarning(int bits) {
        int added = logs.setCriticalWarning(bits);
        if (added != 0) {
            fire(DeviceEvent.smartCriticalWarning(bits));
        }
    }

    /** Changes a namespace's capacity, as an administrator would on the device; raises a namespace event. */
    public void resizeNamespace(int nsid, long sizeBytes) {
        EmulatedNamespace ns = requireNamespace(nsid);
        if (sizeBytes < (1L << ns.blockShift()) || sizeBytes > 1L << 40) {
            throw new IllegalArgumentException("namespace size out of range: " + sizeBytes);
        }
        ns.resize(sizeBytes);
        namespaceChanged(nsid);
    }

    /** Number of commands with {@code opcode} that reached command execution (after fault injection). */
    public long executed(boolean adminQueue, int opcode) {
        return (adminQueue ? adminExecuted : ioExecuted).get(opcode & 0xFF);
    }

    /** Reads namespace contents directly, bypassing the command path (for tests). */
    public byte[] readRaw(int nsid, long offset, int length) {
        EmulatedNamespace ns = requireNamespace(nsid);
        ByteBuf b = Unpooled.buffer(length, length);
        ns.store.read(offset, b, 0, length);
        b.writerIndex(length);
        byte[] out = new byte[length];
        b.getBytes(0, out);
        return out;
    }

    /** Logical block size of a namespace's current format. */
    public int blockSize(int nsid) {
        return 1 << requireNamespace(nsid).blockShift();
    }

    public List<Integer> namespaceIds() {
        return List.copyOf(namespaces.keySet());
    }

    /** Stops the controller's threads; queued and later commands of open handles fail with ENODEV. */
    public void shutdown() {
        removed = true;
        executor.shutdownNow();
        for (Pending p : pending) {
            p.abort();
        }
    }

    private EmulatedNamespace requireNamespace(int nsid) {
        EmulatedNamespace ns = namespaces.get(nsid);
        if (ns == null) {
            throw new IllegalArgumentException("no namespace " + nsid + " on " + name);
        }
        return ns;
    }

    private void fire(DeviceEvent event) {
        for (EmulatedDevice d : handles) {
            try {
                executor.execute(() -> d.fire(event));
            } catch (RejectedExecutionException e) {
                d.fire(event);
            }
        }
    }

    // ---- command execution

    void submit(EmulatedDevice handle, boolean adminQueue, ByteBuf sqe, ByteBuf data, int length, int timeoutMs,
            DeviceCompletion completion) {
        int err = handle.isClosed() ? -Errno.EBADF : removed ? -Errno.ENODEV
                : Transfers.prepare(sqe, data, length, (long) config.queueLimits().maxHwSectorsKb() << 10);
        if (err != 0) {
            completion.complete(err, 0);
            return;
        }
        int opcode = sqe.getUnsignedByte(0);
        FaultInjector.Rule rule = faults.match(adminQueue, opcode);
        long timeout = timeoutMs > 0 ? timeoutMs : adminQueue ? DEFAULT_ADMIN_TIMEOUT_MS : DEFAULT_IO_TIMEOUT_MS;
        long delay = rule == null ? 0 : rule.delayMillis();
        // the driver gives up on a command that outlives its timeout and aborts it (nvme_timeout)
        boolean timesOut = delay > timeout;
        Pending p = new Pending(new Command(adminQueue, sqe, data, length), rule, completion, timesOut);
        pending.add(p);
        try {
            if (timesOut) {
                executor.schedule(p, timeout, TimeUnit.MILLISECONDS);
            } else if (delay > 0) {
                executor.schedule(p, delay, TimeUnit.MILLISECONDS);
            } else {
                executor.execute(p);
            }
        } catch (RejectedExecutionException e) {
            p.abort();
        }
    }

    /** A submitted command; whoever sets {@code done} first completes it, so shutdown can fail queued ones. */
    private final class Pending implements Runnable {
        final Command command;
        final FaultInjector.Rule rule;
        final DeviceCompletion completion;
        final boolean timesOut;
        final AtomicBoolean done = new AtomicBoolean();

        Pending(Command command, FaultInjector.Rule rule, DeviceCompletion completion, boolean timesOut) {
            this.command = command;
            this.rule = rule;
            this.completion = completion;
            this.timesOut = timesOut;
        }

        @Override
        public void run() {
            pending.remove(this);
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (timesOut) {
                completion.complete(removed ? -Errno.ENODEV : Status.ABORT_REQ, 0);
            } else {
                execute(command, rule, completion);
            }
        }

        void abort() {
            pending.remove(this);
            if (done.compareAndSet(false, true)) {
                completion.complete(-Errno.ENODEV, 0);
            }
        }
    }

    private void execute(Command c, FaultInjector.Rule rule, DeviceCompletion completion) {
        if (removed) {
            completion.complete(-Errno.ENODEV, 0);
            return;
        }
        int status;
        if (rule != null && rule.status() != 0) {
            status = rule.status();
        } else {
            (c.admin ? adminExecuted : ioExecuted).incrementAndGet(c.opcode());
            try {
                status = c.admin ? adminCommands.execute(c) : ioCommands.execute(c);
            } catch (RuntimeException e) {
                LOG.warn("emulated controller {} failed on opcode 0x{}", name, Integer.toHexString(c.opcode()), e);
                status = Status.INTERNAL;
            }
        }
        if (status > 0) {
            logs.recordError(c.admin ? 0 : 1, status, c.nsid());
            if ((status & Status.SCT_MASK) == Status.SCT_MEDIA) {
                logs.mediaErrors.incrementAndGet();
            }
        }
        if (status == 0 && c.length > 0 && Transfers.readsIntoBuffer(c.opcode())) {
            c.data.writerIndex(c.data.writerIndex() + c.length);
        }
        completion.complete(status, status < 0 ? 0 : c.result);
    }

    // ---- state used by the command sets

    EmulatedNamespace namespace(int nsid) {
        return namespaces.get(nsid);
    }

    int maxNsid() {
        return maxNsid;
    }

    ControllerLogs logs() {
        return logs;
    }

    FeatureStore features() {
        return features;
    }

    long totalCapacity() {
        long sum = 0;
        for (EmulatedNamespace ns : namespaces.values()) {
            sum += ns.sizeBytes();
        }
        return sum;
    }

    /** MDTS the device itself reports: its max_hw_sectors in controller pages. */
    int deviceMdts() {
        long pages = ((long) config.queueLimits().maxHwSectorsKb() << 10) / config.queueLimits().controllerPageSize();
        return pages <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(pages);
    }

    String activeFirmware() {
        return slotRevisions[activeSlot];
    }

    void namespaceChanged(int nsid) {
        logs.namespaceChanged(nsid);
        fire(DeviceEvent.namespaceChanged(nsid));
    }

    void formatNamespace(EmulatedNamespace ns, int index, boolean extended) {
        ns.format(index, extended);
        namespaceChanged(ns.nsid);
    }

    void sanitizeAll() {
        for (EmulatedNamespace ns : namespaces.values()) {
            ns.store.clear();
            ns.vendorScratch = new byte[0];
        }
        adminScratch = new byte[0];
        sanitizeStatus = 0x1; // most recent sanitize completed successfully
    }

    int sanitizeStatus() {
        return sanitizeStatus;
    }

    synchronized void storeFirmwareChunk(int offset, byte[] chunk) {
        if (offset + chunk.length > firmwareImage.length) {
            firmwareImage = Arrays.copyOf(firmwareImage, offset + chunk.length);
        }
        System.arraycopy(chunk, 0, firmwareImage, offset, chunk.length);
    }

    synchronized int commitFirmware(int slot, int action, boolean replaces) {
        if (replaces) {
            if (firmwareImage.length == 0) {
                return Status.FIRMWARE_IMAGE | Status.DNR;
            }
            slotRevisions[slot] = AdminCommands.revision(firmwareImage);
            firmwareImage = new byte[0];
        } else if (slotRevisions[slot] == null) {
            return Status.FIRMWARE_SLOT | Status.DNR;
        }
        switch (action) {
            case 1, 2 -> nextSlot = slot;
            case 3 -> {
                activeSlot = slot;
                nextSlot = 0;
            }
            default -> {
            }
        }
        return Status.SUCCESS;
    }

    void firmwareSlots(ByteBuf log) {
        log.setByte(FirmwareSlotLog.AFI, activeSlot | nextSlot << 4);
        for (int s = 1; s <= AdminCommands.FIRMWARE_SLOTS; s++) {
            if (slotRevisions[s] != null) {
                AsciiField.setSpacePadded(log, FirmwareSlotLog.frs(s), FirmwareSlotLog.FRS_LENGTH, slotRevisions[s]);
            }
        }
    }
}
