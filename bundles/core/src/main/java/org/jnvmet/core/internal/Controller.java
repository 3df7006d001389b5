package org.jnvmet.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.core.internal.passthru.PassthruCapabilities;
import org.jnvmet.core.internal.passthru.PassthruEvents;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.transport.NvmeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic controller (struct nvmet_ctrl): registers, keep-alive, asynchronous events, changed namespace list,
 * error log and its queues. It lives while at least one queue is bound to it.
 */
final class Controller {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    static final int ASYNC_EVENTS = 4;
    static final int ERROR_LOG_SLOTS = 128;
    static final int MAX_CHANGED_NAMESPACES = 1024;
    static final int AEN_BIT_NS_ATTR = 8;
    static final int AEN_BIT_ANA_CHANGE = 11;
    static final int AEN_BIT_DISC_CHANGE = 31;
    /**
     * Mask bit of forwarded SMART / Health critical warning events (passthru): one event until the host reads log
     * 02h without RAE. Bit 0 of the mask, which no notice event uses.
     */
    static final int AEN_MASK_SMART = 0;
    static final int AEN_CFG_OPTIONAL = FeatureId.AEN_CFG_NAMESPACE_ATTRIBUTE | FeatureId.AEN_CFG_ANA_CHANGE;
    static final int AEN_CFG_ALL = FeatureId.AEN_CFG_SMART_MASK | AEN_CFG_OPTIONAL;
    static final int DISC_AEN_CFG_OPTIONAL = FeatureId.AEN_CFG_DISCOVERY_CHANGE;
    /** Discovery controllers connecting with KATO 0 get this (NVMET_DISC_KATO_MS). */
    static final long DISC_KATO_MS = 120_000;
    private static final int MAX_PENDING_EVENTS = 64;

    final TargetEngine engine;
    final Subsystem subsystem;
    final PortRuntime port;
    final int cntlid;
    final String hostNqn;
    final byte[] hostId;
    final long cap;
    final long createdMillis = System.currentTimeMillis();
    /** The passthru device of the subsystem when this controller was created; null for namespace subsystems. */
    final PassthruBinding passthru;

    // Registers: written under this, read without locking (the I/O path checks readiness per command).
    private volatile int cc;
    private volatile int csts;

    // Keep-alive, seconds. Guarded by kaLock except the flags.
    private final Object kaLock = new Object();
    private volatile int kato;
    volatile boolean resetTbkas;
    private ScheduledFuture<?> kaTask;
    private boolean deleted;

    // Asynchronous events, guarded by this.
    volatile int aenEnabled = AEN_CFG_OPTIONAL;
    private final AtomicInteger aenMasked = new AtomicInteger();
    private final NvmeRequest[] aers = new NvmeRequest[ASYNC_EVENTS];
    private int nrAers;
    private final int[] pendingEvents = new int[MAX_PENDING_EVENTS];
    private int nrPendingEvents;

    // Changed namespace list, guarded by this. nrChanged == -1 means overflowed (entry 0 is 0xFFFFFFFF).
    private final int[] changedNs = new int[MAX_CHANGED_NAMESPACES];
    private int nrChanged;

    // Error log, guarded by errors.
    private final ErrorLog errors = new ErrorLog(ERROR_LOG_SLOTS);

    // Queues, guarded by this.
    private final FabricsQueue[] queues;
    /** References: one per installed queue plus one per Connect in progress; -1 once freed. */
    private int queueRefs = 1;
    private boolean fatalQueued;

    /** Accounting host sessions per namespace, created on first I/O. */
    private final ConcurrentHashMap<Object, AccountingBinding> sessions = new ConcurrentHashMap<>();

    Controller(TargetEngine engine, Subsystem subsystem, PortRuntime port, int cntlid, String hostNqn,
            byte[] hostId, long katoMillis) {
        this(engine, subsystem, port, cntlid, hostNqn, hostId, katoMillis, null);
    }

    Controller(TargetEngine engine, Subsystem subsystem, PortRuntime port, int cntlid, String hostNqn,
            byte[] hostId, long katoMillis, PassthruBinding passthru) {
        this.engine = engine;
        this.passthru = passthru;
        this.subsystem = subsystem;
        this.port = port;
        this.cntlid = cntlid;
        this.hostNqn = hostNqn;
        this.hostId = hostId;
        this.queues = new FabricsQueue[subsystem.maxQid() + 1];
        // nvmet_passthrough_override_cap: CAP.CSS I/O command sets only when the device runs with them
        this.cap = passthru == null ? initialCap(port)
                : PassthruCapabilities.cap(port.maxQueueSize(), passthru.device.multipleCommandSets());
        long ms = katoMillis;
        if (subsystem.discovery && ms == 0) {
            ms = DISC_KATO_MS;
        }
        this.kato = (int) Math.min(Integer.MAX_VALUE, (ms + 999) / 1000);
    }

    /** CAP as nvmet_init_cap: CSS NVM and I/O command sets, TO 15 (7.5 s), MQES from the port. */
    private static long initialCap(PortRuntime port) {
        return ControllerRegisters.CAP_CSS_NVM | ControllerRegisters.CAP_CSS_IO_COMMAND_SETS
                | 15L << ControllerRegisters.CAP_TO_SHIFT | (port.maxQueueSize() - 1);
    }

    /** Largest I/O queue ID this controller has room for. */
    int maxQid() {
        return queues.length - 1;
    }

    int mqes() {
        return ControllerRegisters.capMqes(cap);
    }

    /** VS and Identify VER: the subsystem's, or for passthru the device's raised to 1.2.1. */
    int version() {
        return passthru != null ? passthru.version : subsystem.version();
    }

    /** Largest data transfer of one command: the engine's MDTS, or the one derived from the passthru device. */
    long maxTransferSize() {
        return passthru != null ? passthru.maxTransferBytes : engine.maxTransferSize();
    }

    // ---- registers -------------------------------------------------------------------------------------------

    int cc() {
        return cc;
    }

    int csts() {
        return csts;
    }

    /** nvmet_check_ctrl_status: CC.EN and CSTS.RDY. Lock free. */
    boolean ready() {
        return (cc & ControllerRegisters.CC_EN) != 0 && (csts & ControllerRegisters.CSTS_RDY) != 0;
    }

    boolean csReady() {
        return (csts & ControllerRegisters.CSTS_RDY) != 0;
    }

    /** Property Set CC, as nvmet_update_cc. */
    void updateCc(int value) {
        boolean restartKa = false;
        synchronized (this) {
            int old = cc;
            cc = value;
            if (ControllerRegisters.ccEnabled(value) && !ControllerRegisters.ccEnabled(old)) {
                restartKa = start();
            }
            if (!ControllerRegisters.ccEnabled(value) && ControllerRegisters.ccEnabled(old)) {
                clear();
            }
            if (ControllerRegisters.ccShn(value) != 0 && ControllerRegisters.ccShn(old) == 0) {
                clear();
                csts |= ControllerRegisters.CSTS_SHST_COMPLETE;
            }
            if (ControllerRegisters.ccShn(value) == 0 && ControllerRegisters.ccShn(old) != 0) {
                csts &= ~ControllerRegisters.CSTS_SHST_COMPLETE;
            }
        }
        if (restartKa) {
            restartKeepAlive();
        }
    }

    /** nvmet_start_ctrl; returns whether the keep-alive timer should restart. */
    private boolean start() {
        if (!subsystem.discovery && (ControllerRegisters.ccIosqes(cc) != ControllerRegisters.NVM_IOSQES
                || ControllerRegisters.ccIocqes(cc) != ControllerRegisters.NVM_IOCQES)) {
            csts = ControllerRegisters.CSTS_CFS;
            return false;
        }
        int css = ControllerRegisters.ccCss(cc);
        if (ControllerRegisters.ccMps(cc) != 0 || ControllerRegisters.ccAms(cc) != 0
                || (css != ControllerRegisters.CC_CSS_NVM && css != ControllerRegisters.CC_CSS_CSI)) {
            csts = ControllerRegisters.CSTS_CFS;
            return false;
        }
        csts = ControllerRegisters.CSTS_RDY;
        return kato != 0;
    }

    /** nvmet_clear_ctrl: RDY off and CC reset to 0. */
    private void clear() {
        csts &= ~ControllerRegisters.CSTS_RDY;
        cc = 0;
    }

    // ---- keep-alive ------------------------------------------------------------------------------------------

    int kato() {
        return kato;
    }

    void startKeepAlive() {
        synchronized (kaLock) {
            if (kato == 0 || deleted) {
                return;
            }
            kaTask = schedule();
        }
    }

    /** Schedules the timer for one KATO period; null once the engine has stopped. */
    private ScheduledFuture<?> schedule() {
        try {
            return engine.scheduler().schedule(this::keepAliveExpired, kato, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void stopKeepAlive() {
        synchronized (kaLock) {
            if (kaTask != null) {
                kaTask.cancel(false);
                kaTask = null;
            }
        }
    }

    /** mod_delayed_work on ka_work: restart the full period (Keep Alive command, controller enable). */
    void restartKeepAlive() {
        synchronized (kaLock) {
            if (kato == 0 || deleted) {
                return;
            }
            if (kaTask != null) {
                kaTask.cancel(false);
            }
            kaTask = schedule();
        }
    }

    /** Set Features KATO: stop, change, start; returns the new value in seconds. */
    int setKato(long millis) {
        stopKeepAlive();
        kato = (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
        startKeepAlive();
        return kato;
    }

    private void keepAliveExpired() {
        synchronized (kaLock) {
            if (deleted) {
                return;
            }
            if (resetTbkas) {
                // Traffic based keep-alive: any command since the last check counts as a keep-alive.
                resetTbkas = false;
                kaTask = schedule();
                return;
            }
            kaTask = null;
        }
        LOG.warn("controller {} of {} (host {}): keep-alive timer ({} s) expired", cntlid, subsystem.nqn, hostNqn,
                kato);
        fatalError();
    }

    /** nvmet_ctrl_fatal_error: CSTS.CFS, then the controller is deleted (its queues closed). */
    void fatalError() {
        synchronized (this) {
            csts |= ControllerRegisters.CSTS_CFS;
            if (fatalQueued) {
                return;
            }
            fatalQueued = true;
        }
        try {
            engine.scheduler().execute(this::delete);
        } catch (RejectedExecutionException e) {
            delete();
        }
    }

    /** Deletes the controller: closes the transport of every queue; the controller goes with its last queue. */
    void delete() {
        List<FabricsQueue> bound = new ArrayList<>();
        synchronized (this) {
            for (FabricsQueue q : queues) {
                if (q != null) {
                    bound.add(q);
                }
            }
        }
        for (FabricsQueue q : bound) {
            q.closeTransport();
        }
    }

    // ---- queues ----------------------------------------------------------------------------------------------

    /**
     * Installs a queue under {@code qid}, turning the caller's reference (from creation or {@link #tryRetain()})
     * into the queue's; false if the qid is taken, and the caller still owns its reference.
     */
    synchronized boolean installQueue(int qid, FabricsQueue queue) {
        if (queues[qid] != null) {
            return false;
        }
        queues[qid] = queue;
        return true;
    }

    synchronized boolean hasQueue(int qid) {
        return queues[qid] != null;
    }

    /** Takes a reference for an I/O connect in progress; false once the controller is being freed. */
    synchronized boolean tryRetain() {
        if (queueRefs <= 0) {
            return false;
        }
        queueRefs++;
        return true;
    }

    /** Drops a reference taken by {@link #tryRetain()} that did not become a queue. */
    void unretain() {
        boolean free;
        synchronized (this) {
            free = --queueRefs == 0;
            if (free) {
                queueRefs = -1;
            }
        }
        if (free) {
            free();
        }
    }

    /** Called by a queue being destroyed (nvmet_sq_destroy). */
    void queueDestroyed(int qid, FabricsQueue queue) {
        if (qid == 0) {
            failAllAsyncEvents();
        }
        resetTbkas = true;
        boolean free;
        synchronized (this) {
            if (queues[qid] != queue) {
                return;
            }
            queues[qid] = null;
            free = --queueRefs == 0;
            if (free) {
                queueRefs = -1;
            }
        }
        if (free) {
            free();
        }
    }

    synchronized int ioQueueCount() {
        int n = 0;
        for (int i = 1; i < queues.length; i++) {
            if (queues[i] != null) {
                n++;
            }
        }
        return n;
    }

    synchronized FabricsQueue adminQueue() {
        return queues[0];
    }

    /** nvmet_ctrl_free: leave the subsystem, stop the timer, release the ID. */
    private void free() {
        synchronized (kaLock) {
            deleted = true;
            if (kaTask != null) {
                kaTask.cancel(false);
                kaTask = null;
            }
        }
        subsystem.controllers.remove(this);
        failAllAsyncEvents();
        engine.controllerFreed(this);
        LOG.info("controller {} of {} for {} freed", cntlid, subsystem.nqn, hostNqn);
    }

    // ---- asynchronous events ---------------------------------------------------------------------------------

    /** Asynchronous Event Request: held until an event; false (not held) beyond AERL+1 outstanding. */
    boolean queueAsyncEventRequest(NvmeRequest req) {
        synchronized (this) {
            if (nrAers >= ASYNC_EVENTS) {
                return false;
            }
            aers[nrAers++] = req;
        }
        processAsyncEvents();
        return true;
    }

    /** nvmet_aen_bit_disabled: disabled, or already masked (and masks it). */
    boolean aenBitDisabled(int bit) {
        if ((aenEnabled & (1 << bit)) == 0) {
            return true;
        }
        int prev = aenMasked.getAndUpdate(m -> m | (1 << bit));
        return (prev & (1 << bit)) != 0;
    }

    /** A log page read without RAE unmasks its event. */
    void clearAenBit(int bit) {
        aenMasked.getAndUpdate(m -> m & ~(1 << bit));
    }

    void addAsyncEvent(int type, int info, int logPage) {
        addAsyncEvent(AsyncEventType.result(type, info, logPage));
    }

    private void addAsyncEvent(int result) {
        synchronized (this) {
            if (nrPendingEvents == MAX_PENDING_EVENTS) {
                return;
            }
            pendingEvents[nrPendingEvents++] = result;
        }
        processAsyncEvents();
    }

    /**
     * A passthru device event: an AEN if the host enabled it (Asynchronous Event Configuration) and the previous
     * event of its kind was read (log 04h or 02h without RAE, through the forwarded Get Log Page).
     */
    void passthruEvent(DeviceEvent event) {
        int result = PassthruEvents.asyncEventResult(event, aenEnabled);
        if (result < 0) {
            return;
        }
        int bit = event.kind() == DeviceEvent.Kind.SMART_CRITICAL_WARNING ? AEN_MASK_SMART : AEN_BIT_NS_ATTR;
        int prev = aenMasked.getAndUpdate(m -> m | (1 << bit));
        if ((prev & (1 << bit)) == 0) {
            addAsyncEvent(result);
        }
    }

    /** Pairs pending events with outstanding requests (most recent request first, like Linux) and completes them. */
    private void processAsyncEvents() {
        while (true) {
            NvmeRequest req;
            int result;
            synchronized (this) {
                if (nrAers == 0 || nrPendingEvents == 0) {
                    return;
                }
                req = aers[--nrAers];
                aers[nrAers] = null;
                result = pendingEvents[0];
                System.arraycopy(pendingEvents, 1, pendingEvents, 0, --nrPendingEvents);
            }
            req.complete(Status.SUCCESS, result & 0xFFFFFFFFL);
        }
    }

    private void failAllAsyncEvents() {
        while (true) {
            NvmeRequest req;
            synchronized (this) {
                if (nrAers == 0) {
                    return;
                }
                req = aers[--nrAers];
                aers[nrAers] = null;
            }
            req.complete(Status.INTERNAL | Status.DNR);
        }
    }

    /** nvmet_ns_changed for this controller: changed list, then the AEN unless disabled or masked. */
    void namespaceChanged(int nsid) {
        synchronized (this) {
            addToChangedList(nsid);
        }
        if (!aenBitDisabled(AEN_BIT_NS_ATTR)) {
            addAsyncEvent(AsyncEventType.NOTICE, AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED,
                    LogPageId.CHANGED_NAMESPACE_LIST);
        }
    }

    private void addToChangedList(int nsid) {
        if (nrChanged < 0) {
            return;
        }
        for (int i = 0; i < nrChanged; i++) {
            if (changedNs[i] == nsid) {
                return;
            }
        }
        if (nrChanged == MAX_CHANGED_NAMESPACES) {
            changedNs[0] = 0xFFFFFFFF;
            nrChanged = -1;
            return;
        }
        changedNs[nrChanged++] = nsid;
    }

    /** Copies the changed namespace list (as little endian u32s into {@code out}) and empties it. */
    synchronized int takeChangedNamespaces(int[] out) {
        int n = nrChanged < 0 ? 1 : nrChanged;
        System.arraycopy(changedNs, 0, out, 0, n);
        nrChanged = 0;
        return n;
    }

    /** Discovery log change (nvmet_port_disc_changed) for a discovery controller. */
    void discoveryChanged() {
        if (!aenBitDisabled(AEN_BIT_DISC_CHANGE)) {
            addAsyncEvent(AsyncEventType.NOTICE, AsyncEventType.NOTICE_DISCOVERY_LOG_CHANGED, LogPageId.DISCOVERY);
        }
    }

    // ---- error log -------------------------------------------------------------------------------------------

    ErrorLog errorLog() {
        return errors;
    }

    // ---- accounting ------------------------------------------------------------------------------------------

    /**
     * The accounting session of this controller on {@code counters} of {@code ns} (a namespace or a passthru
     * device namespace); cached, so no allocation per I/O.
     */
    DeviceCounters.HostSession session(Object ns, DeviceCounters counters) {
        AccountingBinding b = sessions.get(ns);
        if (b == null || b.counters != counters) {
            b = new AccountingBinding(counters, counters.session(hostNqn, cntlid));
            sessions.put(ns, b);
        }
        return b.session;
    }

    private record AccountingBinding(DeviceCounters counters, DeviceCounters.HostSession session) {
    }
}
