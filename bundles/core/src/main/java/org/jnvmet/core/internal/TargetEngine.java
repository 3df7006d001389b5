package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.ReferralSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.core.internal.passthru.PassthruClaims;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.ConnectResponse;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.FabricsTransport;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.spi.transport.TransportQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target's state: subsystems, namespaces, ports, controllers, and the transports, backends and accounting
 * bound at runtime. Configuration changes hold {@link #lock} (the Linux target's nvmet_config_sem and subsystem
 * mutexes in one); the I/O path never takes it.
 */
public final class TargetEngine implements NvmeTarget {
    private static final Logger LOG = LoggerFactory.getLogger(TargetEngine.class);
    /** NVME_AQ_DEPTH, the admin queue size discovery log entries advertise. */
    static final int ADMIN_QUEUE_DEPTH = 32;
    static final int MAX_MDTS = 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final int mdts;
    private final long maxTransferSize;
    private final String firmwareRevision;
    private final ScheduledExecutorService scheduler;
    private final CntlidAllocator cntlids = new CntlidAllocator();
    private final AtomicLong genctr = new AtomicLong();

    private final Subsystem discovery;
    private final Map<String, Subsystem> subsystems = new LinkedHashMap<>();
    private final Map<Integer, PortRuntime> ports = new TreeMap<>();
    private final List<FabricsTransport> transports = new CopyOnWriteArrayList<>();
    private final List<BlockBackendFactory> factories = new CopyOnWriteArrayList<>();
    private final List<NvmeDeviceFactory> deviceFactories = new CopyOnWriteArrayList<>();
    /** One passthru subsystem per controller (Linux's passthru_subsystems xarray). */
    private final PassthruClaims claims = new PassthruClaims();
    private volatile IoAccounting accounting;
    private volatile boolean closed;
    private volatile Set<Integer> anaGroups = Set.of(1);

    /**
     * @param mdts              Identify Controller MDTS (log2 of 4 KiB pages, 1..10); transfers above it fail
     * @param firmwareRevision  default attr_firmware (at most 8 characters)
     */
    public TargetEngine(int mdts, String firmwareRevision) {
        if (mdts < 1 || mdts > MAX_MDTS) {
            throw new IllegalArgumentException("mdts must be 1.." + MAX_MDTS);
        }
        this.mdts = mdts;
        this.maxTransferSize = 4096L << mdts;
        this.firmwareRevision = firmwareRevision;
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jnvmet-core-timer");
            t.setDaemon(true);
            return t;
        });
        stpe.setRemoveOnCancelPolicy(true);
        this.scheduler = stpe;
        this.discovery = new Subsystem(DEFAULT_DISCOVERY_NQN, SubsystemSpec.of(DEFAULT_DISCOVERY_NQN), true);
    }

    int mdts() {
        return mdts;
    }

    long maxTransferSize() {
        return maxTransferSize;
    }

    String firmwareRevision() {
        return firmwareRevision;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    // ---- NvmeTarget: discovery NQN -----------------------------------------------------------------------------

    @Override
    public void setDiscoveryNqn(String nqn) {
        String value = nqn == null || nqn.isEmpty() ? DEFAULT_DISCOVERY_NQN : nqn;
        String problem = Nqn.checkDiscovery(value);
        if (problem != null) {
            throw new TargetConfigException("discovery_nqn", problem);
        }
        lock.lock();
        try {
            if (subsystems.containsKey(value)) {
                throw new TargetConfigException("discovery_nqn", "a subsystem has this NQN");
            }
            discovery.nqn = value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String discoveryNqn() {
        return discovery.nqn;
    }

    // ---- NvmeTarget: subsystems --------------------------------------------------------------------------------

    @Override
    public void putSubsystem(SubsystemSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String nqn = spec.nqn();
        String field = "subsystems/" + nqn;
        String problem = Nqn.checkSubsystem(nqn);
        if (problem != null) {
            throw new TargetConfigException(field, problem);
        }
        validateAttributes(spec, field);
        lock.lock();
        try {
            if (nqn.equals(discovery.nqn)) {
                throw new TargetConfigException(field, "the discovery NQN cannot name a subsystem");
            }
            Subsystem s = subsystems.get(nqn);
            if (s == null) {
                subsystems.put(nqn, new Subsystem(nqn, spec, false));
                relinkPorts();
                return;
            }
            SubsystemSpec old = s.spec;
            if (s.passthruEnabled() && !Objects.equals(old.version(), spec.version())) {
                // nvmet_subsys_attr_version_store: EINVAL on passthru, whose version is the controller's
                throw new TargetConfigException(field + "/attr_version",
                        "cannot be set on a passthru subsystem (the controller's version is reported)");
            }
            if (s.identified) {
                checkFixedAfterIdentify(old, spec, field);
            }
            s.spec = spec;
            if (old.qidMax() != spec.qidMax()) {
                // Writing attr_qid_max deletes the subsystem's controllers, which reconnect with the new count.
                for (Controller c : s.controllers) {
                    c.delete();
                }
            }
            if (old.allowAnyHost() != spec.allowAnyHost()) {
                subsystemDiscoveryChanged(s, null);
            } else if (!old.allowedHosts().equals(spec.allowedHosts())) {
                Set<String> changed = new HashSet<>(old.allowedHosts());
                changed.addAll(spec.allowedHosts());
                Set<String> common = new HashSet<>(old.allowedHosts());
                common.retainAll(spec.allowedHosts());
                changed.removeAll(common);
                genctr.incrementAndGet();
                for (String host : changed) {
                    notifyDiscoveryControllers(s, host);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void validateAttributes(SubsystemSpec spec, String field) {
        if (spec.allowAnyHost() && !spec.allowedHosts().isEmpty()) {
            throw new TargetConfigException(field + "/attr_allow_any_host",
                    "cannot allow any host while allowed_hosts has entries");
        }
        for (String host : spec.allowedHosts()) {
            String p = Nqn.checkHost(host);
            if (p != null) {
                throw new TargetConfigException(field + "/allowed_hosts/" + host, p);
            }
        }
        checkAscii(spec.serial(), 20, field + "/attr_serial");
        checkAscii(spec.model(), 40, field + "/attr_model");
        checkAscii(spec.firmware(), 8, field + "/attr_firmware");
        if (spec.version() != null) {
            try {
                Subsystem.parseVersion(spec.version());
            } catch (IllegalArgumentException e) {
                throw new TargetConfigException(field + "/attr_version", e.getMessage());
            }
        }
        if ((spec.ieeeOui() & ~0xFFFFFF) != 0) {
            throw new TargetConfigException(field + "/attr_ieee_oui", "must fit in 24 bits");
        }
        if (spec.cntlidMin() < 1 || spec.cntlidMin() > SubsystemSpec.DEFAULT_CNTLID_MAX) {
            throw new TargetConfigException(field + "/attr_cntlid_min", "must be 1..0xffef");
        }
        if (spec.cntlidMax() < spec.cntlidMin() || spec.cntlidMax() > SubsystemSpec.DEFAULT_CNTLID_MAX) {
            throw new TargetConfigException(field + "/attr_cntlid_max", "must be attr_cntlid_min..0xffef");
        }
        if (spec.qidMax() < 1 || spec.qidMax() > SubsystemSpec.DEFAULT_QID_MAX) {
            throw new TargetConfigException(field + "/attr_qid_max", "must be 1..128");
        }
    }

    private static void checkAscii(String value, int max, String field) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > max) {
            throw new TargetConfigException(field, "must be 1.." + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new TargetConfigException(field, "must be printable ASCII");
            }
        }
    }

    private static void checkFixedAfterIdentify(SubsystemSpec old, SubsystemSpec spec, String field) {
        if (!Objects.equals(old.serial(), spec.serial())) {
            throw new TargetConfigException(field + "/attr_serial", "cannot change after a host identified it");
        }
        if (!Objects.equals(old.model(), spec.model())) {
            throw new TargetConfigException(field + "/attr_model", "cannot change after a host identified it");
        }
        if (!Objects.equals(old.firmware(), spec.firmware())) {
            throw new TargetConfigException(field + "/attr_firmware", "cannot change after a host identified it");
        }
        if (!Objects.equals(old.version(), spec.version())) {
            throw new TargetConfigException(field + "/attr_version", "cannot change after a host identified it");
        }
    }

    @Override
    public void removeSubsystem(String nqn) {
        lock.lock();
        try {
            Subsystem s = subsystems.remove(nqn);
            if (s == null) {
                return;
            }
            relinkPorts();
            for (Controller c : s.controllers) {
                c.delete();
            }
            disablePassthru(s, "subsystem removed");
            s.passthruSpec = null;
            for (Namespace ns : s.namespaces.values()) {
                ns.deactivate("subsystem removed");
                IoAccounting acc = accounting;
                if (acc != null) {
                    acc.remove(ns.deviceName);
                }
            }
            s.namespaces.clear();
            s.refreshActive();
            refreshAnaGroups();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<SubsystemSpec> subsystems() {
        lock.lock();
        try {
            return subsystems.values().stream().map(s -> s.spec).toList();
        } finally {
            lock.unlock();
        }
    }

    // ---- NvmeTarget: namespaces --------------------------------------------------------------------------------

    @Override
    public void putNamespace(String subsystemNqn, NamespaceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String field = "subsystems/" + subsystemNqn + "/namespaces/" + Integer.toUnsignedString(spec.nsid());
        if (spec.nsid() == 0 || spec.nsid() == 0xFFFFFFFF) {
            throw new TargetConfigException(field, "nsid must be 1..0xfffffffe");
        }
        if (spec.enabled() && (spec.devicePath() == null || spec.devicePath().isBlank())) {
            throw new TargetConfigException(field + "/device_path", "required to enable the namespace");
        }
        if (spec.nguid() != null) {
            try {
                Namespace.parseNguid(spec.nguid());
            } catch (IllegalArgumentException e) {
                throw new TargetConfigException(field + "/device_nguid", e.getMessage());
            }
        }
        if (spec.anaGroupId() < 1 || spec.anaGroupId() > IdentifyData.MAX_ANA_GROUPS) {
            throw new TargetConfigException(field + "/ana_grpid", "must be 1..128");
        }
        int bs = spec.blockSize();
        if (bs != 0 && (bs < 512 || bs > 4096 || Integer.bitCount(bs) != 1)) {
            throw new TargetConfigException(field + "/block_size", "must be 512, 1024, 2048 or 4096");
        }
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            if (s == null) {
                throw new TargetConfigException("subsystems/" + subsystemNqn, "no such subsystem");
            }
            if (s.passthruEnabled()) {
                throw new TargetConfigException(field,
                        "passthru is enabled; passthru and namespaces are mutually exclusive");
            }
            Namespace ns = s.namespaces.get(spec.nsid());
            if (ns == null) {
                if (s.namespaces.size() >= Subsystem.MAX_NAMESPACES) {
                    throw new TargetConfigException(field, "a subsystem has at most 1024 namespaces");
                }
                ns = new Namespace(s, spec);
                s.namespaces.put(spec.nsid(), ns);
                bindAccounting(ns);
                if (spec.enabled()) {
                    try {
                        enable(ns, field);
                    } catch (TargetConfigException e) {
                        s.namespaces.remove(spec.nsid());
                        unbindAccounting(ns);
                        throw e;
                    }
                }
                return;
            }
            updateNamespace(ns, spec, field);
        } finally {
            refreshAnaGroups();
            lock.unlock();
        }
    }

    private void updateNamespace(Namespace ns, NamespaceSpec spec, String field) {
        NamespaceSpec old = ns.spec;
        boolean identityChanged = !Objects.equals(old.devicePath(), spec.devicePath())
                || old.bufferedIo() != spec.bufferedIo() || old.blockSize() != spec.blockSize()
                || !Objects.equals(old.uuid(), spec.uuid()) || !Objects.equals(old.nguid(), spec.nguid());
        boolean wasActive = ns.isActive();
        if (identityChanged && wasActive) {
            disable(ns, "reconfiguring");
        }
        java.util.UUID oldUuid = ns.uuid;
        ns.applyIdentity(spec);
        if (spec.enabled() && !ns.isActive()) {
            try {
                enable(ns, field);
            } catch (TargetConfigException e) {
                ns.uuid = oldUuid;
                ns.applyIdentity(old);
                if (wasActive) {
                    try {
                        enable(ns, field);
                    } catch (TargetConfigException again) {
                        LOG.warn("could not restore namespace {}", field, again);
                    }
                }
                throw e;
            }
        } else if (!spec.enabled() && ns.isActive()) {
            disable(ns, "disabled");
        } else if (!spec.enabled()) {
            ns.reason = "disabled";
        } else if (old.anaGroupId() != spec.anaGroupId()) {
            ns.subsystem.namespaceChanged(ns.nsid);
        }
    }

    /** nvmet_ns_enable: open through the matching factory, publish, notify controllers. */
    private void enable(Namespace ns, String field) {
        NamespaceSpec spec = ns.spec;
        BackendSpec backendSpec = new BackendSpec(spec.devicePath(), spec.bufferedIo(), spec.blockSize());
        BlockBackendFactory factory = factoryFor(backendSpec);
        if (factory == null) {
            ns.reason = "no backend accepts " + spec.devicePath();
            LOG.info("namespace {} waits: {}", field, ns.reason);
            return;
        }
        BlockBackend backend;
        try {
            backend = factory.open(backendSpec);
        } catch (IOException | RuntimeException e) {
            ns.reason = "open failed: " + e.getMessage();
            throw new TargetConfigException(field + "/enable", "cannot open " + spec.devicePath() + ": "
                    + e.getMessage());
        }
        ns.activate(backend, factory);
        ns.subsystem.refreshActive();
        ns.subsystem.namespaceChanged(ns.nsid);
    }

    /** nvmet_ns_disable. */
    private void disable(Namespace ns, String why) {
        if (!ns.isActive()) {
            ns.reason = why;
            return;
        }
        ns.deactivate(why);
        ns.subsystem.refreshActive();
        ns.subsystem.namespaceChanged(ns.nsid);
    }

    private BlockBackendFactory factoryFor(BackendSpec spec) {
        String path = spec.devicePath();
        if (path.startsWith("ram:")) {
            for (BlockBackendFactory f : factories) {
                if ("ram".equals(f.kind())) {
                    return f;
                }
            }
            return null;
        }
        for (BlockBackendFactory f : factories) {
            try {
                if (f.accepts(spec)) {
                    return f;
                }
            } catch (RuntimeException e) {
                LOG.warn("backend factory {} failed on {}", f.kind(), path, e);
            }
        }
        return null;
    }

    @Override
    public void removeNamespace(String subsystemNqn, int nsid) {
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            if (s == null) {
                return;
            }
            Namespace ns = s.namespaces.get(nsid);
            if (ns == null) {
                return;
            }
            disable(ns, "removed");
            s.namespaces.remove(nsid);
            unbindAccounting(ns);
            refreshAnaGroups();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<NamespaceSpec> namespaces(String subsystemNqn) {
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            if (s == null) {
                throw new TargetConfigException("subsystems/" + subsystemNqn, "no such subsystem");
            }
            return s.namespaces.values().stream().map(n -> n.spec).toList();
        } finally {
            lock.unlock();
        }
    }

    /** configfs revalidate_size: re-reads the backend's capacity; a change is a namespace attribute change. */
    public void revalidateNamespace(String subsystemNqn, int nsid) {
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            Namespace ns = s == null ? null : s.namespaces.get(nsid);
            if (ns == null || !ns.isActive()) {
                throw new TargetConfigException("subsystems/" + subsystemNqn + "/namespaces/"
                        + Integer.toUnsignedString(nsid) + "/revalidate_size", "namespace not enabled");
            }
            long size;
            try {
                size = ns.backend.revalidate();
            } catch (IOException e) {
                throw new TargetConfigException("subsystems/" + subsystemNqn + "/namespaces/"
                        + Integer.toUnsignedString(nsid) + "/revalidate_size", e.getMessage());
            }
            if (size != ns.sizeBytes) {
                ns.sizeBytes = size;
                s.namespaceChanged(nsid);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Identify Namespace notices a capacity change like nvmet_ns_revalidate does. */
    void revalidateOnIdentify(Namespace ns) {
        BlockBackend b = ns.backend;
        if (b == null) {
            return;
        }
        long size = b.capacity();
        if (size != ns.sizeBytes) {
            ns.sizeBytes = size;
            ns.subsystem.namespaceChanged(ns.nsid);
        }
    }

    /** ANA groups with namespaces anywhere in the target, plus the default group 1. */
    Set<Integer> anaGroupsInUse() {
        return anaGroups;
    }

    /** Recomputes {@link #anaGroups} after namespaces changed. Called under the config lock. */
    private void refreshAnaGroups() {
        Set<Integer> groups = new TreeSet<>();
        groups.add(1);
        for (Subsystem s : subsystems.values()) {
            for (Namespace ns : s.namespaces.values()) {
                groups.add(ns.spec.anaGroupId());
            }
        }
        anaGroups = java.util.Collections.unmodifiableSet(groups);
    }

    // ---- NvmeTarget: passthru ----------------------------------------------------------------------------------

    @Override
    public void putPassthru(String subsystemNqn, PassthruSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String field = "subsystems/" + subsystemNqn + "/passthru";
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            if (s == null) {
                throw new TargetConfigException("subsystems/" + subsystemNqn, "no such subsystem");
            }
            PassthruSpec old = s.passthruSpec;
            boolean wasEnabled = old != null && old.enable();
            if (!spec.enable()) {
                s.passthruSpec = spec;
                if (wasEnabled) {
                    disablePassthru(s, "disabled");
                }
                s.passthruReason = "disabled";
                return;
            }
            if (wasEnabled) {
                if (!Objects.equals(old.devicePath(), spec.devicePath())) {
                    // nvmet_passthru_device_path_store: EBUSY while enabled
                    throw new TargetConfigException(field + "/device_path",
                            "busy: cannot change while passthru is enabled");
                }
                s.passthruSpec = spec;
                PassthruBinding b = s.passthru;
                if (b != null) {
                    b.update(spec);
                }
                return;
            }
            // nvmet_passthru_ctrl_enable
            if (spec.devicePath() == null || spec.devicePath().isBlank()) {
                throw new TargetConfigException(field + "/enable", "device_path is not set");
            }
            if (!s.namespaces.isEmpty()) {
                throw new TargetConfigException(field + "/enable",
                        "the subsystem has namespaces; passthru and namespaces are mutually exclusive");
            }
            s.passthruSpec = spec;
            try {
                enablePassthru(s, field);
            } catch (TargetConfigException e) {
                s.passthruSpec = old;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setPassthruEnabled(String subsystemNqn, boolean enable) {
        lock.lock();
        try {
            NvmeTarget.super.setPassthruEnabled(subsystemNqn, enable);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removePassthru(String subsystemNqn) {
        lock.lock();
        try {
            Subsystem s = subsystems.get(subsystemNqn);
            if (s == null || s.passthruSpec == null) {
                return;
            }
            disablePassthru(s, "removed");
            s.passthruSpec = null;
            s.passthruReason = null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, PassthruSpec> passthru() {
        lock.lock();
        try {
            Map<String, PassthruSpec> out = new LinkedHashMap<>();
            for (Subsystem s : subsystems.values()) {
                if (s.passthruSpec != null) {
                    out.put(s.nqn, s.passthruSpec);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PassthruStatus> passthruStatus() {
        lock.lock();
        try {
            List<PassthruStatus> out = new ArrayList<>();
            for (Subsystem s : subsystems.values()) {
                PassthruSpec spec = s.passthruSpec;
                if (spec == null) {
                    continue;
                }
                PassthruBinding b = s.passthru;
                boolean active = b != null && !b.removed();
                String reason = active ? null : b != null ? "controller " + b.device.name() + " removed"
                        : spec.enable() ? s.passthruReason : "disabled";
                out.add(new PassthruStatus(s.nqn, spec.devicePath(), spec.enable(), active,
                        b == null ? null : b.device.name(), reason));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * nvmet_passthru_ctrl_enable after its configfs checks: opens the controller through the matching factory,
     * claims it, learns its namespaces and starts serving. Waits (no error) while no factory accepts the path.
     * Called under the config lock.
     */
    private void enablePassthru(Subsystem s, String field) {
        PassthruSpec spec = s.passthruSpec;
        String path = spec.devicePath();
        NvmeDeviceFactory factory = deviceFactoryFor(path);
        if (factory == null) {
            s.passthruReason = "no device factory accepts " + path;
            LOG.info("passthru subsystem {} waits: {}", s.nqn, s.passthruReason);
            return;
        }
        NvmeDevice device;
        try {
            device = factory.open(path);
        } catch (IOException | RuntimeException e) {
            s.passthruReason = "open failed: " + e.getMessage();
            throw new TargetConfigException(field + "/enable", "cannot open " + path + ": " + e.getMessage());
        }
        if (!claims.claim(device.name(), s.nqn)) {
            String owner = claims.owner(device.name()).orElse("?");
            device.close();
            s.passthruReason = "controller " + device.name() + " is exported by " + owner;
            throw new TargetConfigException(field + "/enable", "controller " + device.name() + " (" + path
                    + ") is already exported by subsystem " + owner);
        }
        PassthruBinding b = new PassthruBinding(s, device, factory, spec);
        b.start(accounting);
        // Controllers connected while the subsystem was an empty namespace subsystem are not passthru ones.
        for (Controller c : s.controllers) {
            c.delete();
        }
        s.passthru = b;
        s.passthruReason = null;
        LOG.info("passthru subsystem {} exports controller {} ({}), VS {}, MDTS {}, namespaces {}", s.nqn,
                device.name(), path, Integer.toHexString(b.version), b.mdts,
                java.util.Arrays.toString(b.namespaces.nsids()));
    }

    /** nvmet_passthru_ctrl_disable: controllers deleted, device closed, claim released. Under the config lock. */
    private void disablePassthru(Subsystem s, String why) {
        PassthruBinding b = s.passthru;
        s.passthruReason = why;
        if (b == null) {
            return;
        }
        s.passthru = null;
        for (Controller c : s.controllers) {
            c.delete();
        }
        b.close();
        claims.release(b.device.name(), s.nqn);
        LOG.info("passthru subsystem {} released controller {}: {}", s.nqn, b.device.name(), why);
    }

    private NvmeDeviceFactory deviceFactoryFor(String path) {
        for (NvmeDeviceFactory f : deviceFactories) {
            try {
                if (f.accepts(path)) {
                    return f;
                }
            } catch (RuntimeException e) {
                LOG.warn("device factory {} failed on {}", f.kind(), path, e);
            }
        }
        return null;
    }

    /** Registers a passthru device factory; enabled passthru subsystems waiting for one open their controller. */
    public void addDeviceFactory(NvmeDeviceFactory factory) {
        lock.lock();
        try {
            deviceFactories.add(factory);
            enablePendingPassthru();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unregisters a device factory: the passthru subsystems it opened go down (controllers deleted, device closed)
     * and come back when a factory accepts their path again.
     */
    public void removeDeviceFactory(NvmeDeviceFactory factory) {
        lock.lock();
        try {
            if (!deviceFactories.remove(factory)) {
                return;
            }
            for (Subsystem s : subsystems.values()) {
                PassthruBinding b = s.passthru;
                if (b != null && b.factory == factory) {
                    disablePassthru(s, "device factory " + factory.kind() + " not registered");
                }
            }
            enablePendingPassthru();
        } finally {
            lock.unlock();
        }
    }

    private void enablePendingPassthru() {
        for (Subsystem s : subsystems.values()) {
            if (s.passthruEnabled() && s.passthru == null) {
                try {
                    enablePassthru(s, "subsystems/" + s.nqn + "/passthru");
                } catch (TargetConfigException e) {
                    LOG.warn("{}", e.getMessage());
                }
            }
        }
    }

    // ---- NvmeTarget: ports -------------------------------------------------------------------------------------

    @Override
    public void putPort(PortSpec spec) {
        Objects.requireNonNull(spec, "spec");
        PortAddress a = spec.address();
        String field = "ports/" + (a == null ? "?" : Integer.toString(a.portId()));
        validatePort(spec, field);
        lock.lock();
        try {
            for (String nqn : spec.subsystems()) {
                if (!subsystems.containsKey(nqn)) {
                    throw new TargetConfigException(field + "/subsystems/" + nqn, "no such subsystem");
                }
            }
            PortRuntime port = ports.get(a.portId());
            if (port == null) {
                port = new PortRuntime(this, spec);
                ports.put(a.portId(), port);
                port.linked = resolve(spec);
                for (Subsystem s : port.linked) {
                    portDiscoveryChanged(port, s);
                }
                if (!port.enabledReferrals().isEmpty()) {
                    portDiscoveryChanged(port, null);
                }
                updateListener(port);
                return;
            }
            PortSpec old = port.spec;
            List<Subsystem> oldLinked = port.linked;
            List<Subsystem> newLinked = resolve(spec);
            boolean addressChanged = !old.address().equals(a);
            if (addressChanged) {
                closeListener(port, "reconfiguring");
            }
            port.spec = spec;
            port.linked = newLinked;
            for (Subsystem s : oldLinked) {
                if (!newLinked.contains(s)) {
                    // nvmet_port_subsys_drop_link: the subsystem's controllers on this port go away.
                    deleteControllers(port, s);
                    portDiscoveryChanged(port, s);
                }
            }
            for (Subsystem s : newLinked) {
                if (!oldLinked.contains(s)) {
                    portDiscoveryChanged(port, s);
                }
            }
            if (!old.referrals().equals(spec.referrals())) {
                portDiscoveryChanged(port, null);
            }
            updateListener(port);
        } finally {
            lock.unlock();
        }
    }

    private static void validatePort(PortSpec spec, String field) {
        PortAddress a = spec.address();
        if (a == null) {
            throw new TargetConfigException(field, "address required");
        }
        if (a.portId() < 0 || a.portId() > 0xFFFF) {
            throw new TargetConfigException(field, "port id must be 0..65535");
        }
        if (a.trtype() == null || a.trtype().isEmpty()) {
            throw new TargetConfigException(field + "/addr_trtype", "required");
        }
        if (a.adrfam() != null && !a.adrfam().isEmpty() && DiscoveryLogPage.adrfam(a.adrfam()) == 0
                && !"pci".equals(a.adrfam())) {
            throw new TargetConfigException(field + "/addr_adrfam", "unknown address family " + a.adrfam());
        }
        if (a.traddr() != null && a.traddr().length() >= DiscoveryLogPage.TRADDR_LENGTH) {
            throw new TargetConfigException(field + "/addr_traddr", "too long");
        }
        if (a.trsvcid() != null && a.trsvcid().length() >= DiscoveryLogPage.TRSVCID_LENGTH) {
            throw new TargetConfigException(field + "/addr_trsvcid", "too long");
        }
        if (a.treq() < 0 || a.treq() > 0xFF) {
            throw new TargetConfigException(field + "/addr_treq", "must be 0..255");
        }
        if (a.inlineDataSize() < -1) {
            throw new TargetConfigException(field + "/param_inline_data_size", "must be -1 or >= 0");
        }
        if (a.maxQueueSize() > 0 && (a.maxQueueSize() < 16 || a.maxQueueSize() > 1024)) {
            throw new TargetConfigException(field + "/param_max_queue_size", "must be 16..1024");
        }
        for (ReferralSpec r : spec.referrals()) {
            String rf = field + "/referrals/" + r.name();
            if (r.trtype() == null || DiscoveryLogPage.trtype(r.trtype()) == 0) {
                throw new TargetConfigException(rf + "/addr_trtype", "unknown transport type " + r.trtype());
            }
            if (r.traddr() != null && r.traddr().length() >= DiscoveryLogPage.TRADDR_LENGTH) {
                throw new TargetConfigException(rf + "/addr_traddr", "too long");
            }
            if (r.trsvcid() != null && r.trsvcid().length() >= DiscoveryLogPage.TRSVCID_LENGTH) {
                throw new TargetConfigException(rf + "/addr_trsvcid", "too long");
            }
        }
    }

    private List<Subsystem> resolve(PortSpec spec) {
        List<Subsystem> list = new ArrayList<>();
        for (String nqn : spec.subsystems()) {
            Subsystem s = subsystems.get(nqn);
            if (s != null && !list.contains(s)) {
                list.add(s);
            }
        }
        return List.copyOf(list);
    }

    /** Re-resolves every port's links after subsystems were added or removed. */
    private void relinkPorts() {
        for (PortRuntime port : ports.values()) {
            List<Subsystem> old = port.linked;
            List<Subsystem> now = resolve(port.spec);
            if (old.equals(now)) {
                continue;
            }
            port.linked = now;
            for (Subsystem s : old) {
                if (!now.contains(s)) {
                    deleteControllers(port, s);
                    portDiscoveryChanged(port, s);
                }
            }
            for (Subsystem s : now) {
                if (!old.contains(s)) {
                    portDiscoveryChanged(port, s);
                }
            }
            updateListener(port);
        }
    }

    @Override
    public void removePort(int portId) {
        lock.lock();
        try {
            PortRuntime port = ports.remove(portId);
            if (port == null) {
                return;
            }
            for (Subsystem s : port.linked) {
                deleteControllers(port, s);
            }
            deleteControllers(port, discovery);
            port.linked = List.of();
            closeListener(port, "removed");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PortSpec> ports() {
        lock.lock();
        try {
            return ports.values().stream().map(p -> p.spec).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PortStatus> portStatus() {
        lock.lock();
        try {
            List<PortStatus> out = new ArrayList<>();
            for (PortRuntime p : ports.values()) {
                PortAddress a = p.spec.address();
                TransportListener l = p.listener;
                out.add(new PortStatus(a.portId(), a.trtype(), l != null ? l.boundTraddr() : a.traddr(),
                        l != null ? l.boundTrsvcid() : a.trsvcid(), l != null, l != null ? null : p.reason));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A port listens while it has linked subsystems and a transport of its type is registered. */
    private void updateListener(PortRuntime port) {
        boolean want = !port.linked.isEmpty() && !closed;
        if (!want) {
            closeListener(port, "no subsystems linked");
            return;
        }
        if (port.listener != null) {
            return;
        }
        String trtype = port.spec.address().trtype();
        FabricsTransport transport = transportFor(trtype);
        if (transport == null) {
            port.reason = "transport " + trtype + " not registered";
            return;
        }
        try {
            port.listener = transport.listen(port);
            port.transport = transport;
            port.reason = null;
            LOG.info("port {} listening on {} {}:{}", port.portId(), trtype, port.listener.boundTraddr(),
                    port.listener.boundTrsvcid());
        } catch (IOException | RuntimeException e) {
            port.reason = "listen failed: " + e.getMessage();
            LOG.warn("port {} cannot listen: {}", port.portId(), e.toString());
        }
    }

    private void closeListener(PortRuntime port, String why) {
        TransportListener l = port.listener;
        port.listener = null;
        port.transport = null;
        port.reason = why;
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.warn("closing listener of port {} failed", port.portId(), e);
            }
        }
    }

    private FabricsTransport transportFor(String trtype) {
        for (FabricsTransport t : transports) {
            if (trtype.equals(t.type())) {
                return t;
            }
        }
        return null;
    }

    private void deleteControllers(PortRuntime port, Subsystem s) {
        for (Controller c : s.controllers) {
            if (c.port == port) {
                c.delete();
            }
        }
    }

    // ---- controllers -------------------------------------------------------------------------------------------

    @Override
    public List<ControllerInfo> controllers() {
        List<ControllerInfo> out = new ArrayList<>();
        List<Subsystem> all = new ArrayList<>();
        lock.lock();
        try {
            all.add(discovery);
            all.addAll(subsystems.values());
        } finally {
            lock.unlock();
        }
        for (Subsystem s : all) {
            for (Controller c : s.controllers) {
                FabricsQueue admin = c.adminQueue();
                out.add(new ControllerInfo(s.nqn, c.cntlid, c.hostNqn, uuidText(c.hostId), c.port.portId(),
                        c.ioQueueCount(), c.kato() * 1000L, c.ready(),
                        admin == null ? null : admin.transport.peerAddress()));
            }
        }
        return out;
    }

    private static String uuidText(byte[] id) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = msb << 8 | (id[i] & 0xFF);
            lsb = lsb << 8 | (id[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb).toString();
    }

    /** nvmet_find_get_subsys: the discovery subsystem by either NQN, else a subsystem linked to the port. */
    private Subsystem findSubsystem(PortRuntime port, String nqn) {
        if (DEFAULT_DISCOVERY_NQN.equals(nqn) || discovery.nqn.equals(nqn)) {
            return discovery;
        }
        for (Subsystem s : port.linked) {
            if (s.nqn.equals(nqn)) {
                return s;
            }
        }
        return null;
    }

    /**
     * nvmet_execute_admin_connect from the subsystem lookup on (nvmet_alloc_ctrl, nvmet_install_queue). Runs on
     * the transport's thread, so it reads the configuration's volatile snapshots instead of taking the config
     * lock (a transport may wait for that thread while closing a listener under the lock).
     */
    void connectAdmin(FabricsQueue queue, NvmeRequest req, CommandContext ctx, String subnqn, String hostnqn,
            byte[] hostId, long katoMillis) {
        Subsystem s = findSubsystem(queue.port, subnqn);
        if (s == null) {
            LOG.warn("connect request for invalid subsystem {}", subnqn);
            req.setResult(ConnectResponse.invalidDataField(ConnectData.SUBNQN));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        if (!s.hostAllowed(hostnqn)) {
            LOG.info("connect by host {} for subsystem {} not allowed", hostnqn, subnqn);
            req.setResult(ConnectResponse.invalidDataField(ConnectData.HOSTNQN));
            req.complete(Status.CONNECT_INVALID_HOST | Status.DNR);
            return;
        }
        SubsystemSpec spec = s.spec;
        PassthruBinding passthru = s.passthru;
        if (!s.discovery && s.passthruEnabled() && (passthru == null || passthru.removed())) {
            // The controller is not there (device factory gone, controller removed): busy, so hosts retry.
            LOG.info("connect by host {} for passthru subsystem {} refused: {}", hostnqn, subnqn,
                    passthru == null ? s.passthruReason : "controller removed");
            req.complete(Status.CONNECT_CTRL_BUSY);
            return;
        }
        int cntlid = s.discovery ? cntlids.allocate(SubsystemSpec.DEFAULT_CNTLID_MIN, SubsystemSpec.DEFAULT_CNTLID_MAX)
                : cntlids.allocate(spec.cntlidMin(), spec.cntlidMax());
        if (cntlid < 0) {
            req.complete(Status.CONNECT_CTRL_BUSY | Status.DNR);
            return;
        }
        Controller c = new Controller(this, s, queue.port, cntlid, hostnqn, hostId, katoMillis, passthru);
        s.controllers.add(c);
        if (s.passthru != passthru) {
            // Passthru was enabled or disabled meanwhile; its controllers were deleted without this one.
            c.unretain();
            req.complete(Status.CONNECT_CTRL_BUSY);
            return;
        }
        if (findSubsystem(queue.port, subnqn) != s || closed) {
            // Unlinked or removed while we were connecting: its controllers were deleted without this one.
            c.unretain();
            req.setResult(ConnectResponse.invalidDataField(ConnectData.SUBNQN));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        c.startKeepAlive();
        int status = FabricsCommands.installQueue(c, queue, req, ctx);
        if (status != 0) {
            c.unretain();
            req.complete(status);
            return;
        }
        LOG.info("created {} controller {} for subsystem {} for {}", c.subsystem.discovery ? "discovery" : "nvm",
                c.cntlid, subnqn, hostnqn);
        req.complete(Status.SUCCESS, c.cntlid);
    }

    /** nvmet_execute_io_connect from the controller lookup on. */
    void connectIo(FabricsQueue queue, NvmeRequest req, String subnqn, String hostnqn, int cntlid) {
        CommandContext ctx = (CommandContext) req.coreContext();
        Subsystem s = findSubsystem(queue.port, subnqn);
        if (s == null) {
            req.setResult(ConnectResponse.invalidDataField(ConnectData.SUBNQN));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        Controller c = null;
        for (Controller candidate : s.controllers) {
            if (candidate.cntlid == cntlid && candidate.hostNqn.equals(hostnqn) && candidate.tryRetain()) {
                c = candidate;
                break;
            }
        }
        if (c == null) {
            LOG.warn("could not find controller {} for subsystem {} / host {}", cntlid, subnqn, hostnqn);
            req.setResult(ConnectResponse.invalidDataField(ConnectData.CNTLID));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        int qid = ConnectCommand.qid(req.sqe());
        if (qid > s.maxQid() || qid > c.maxQid()) {
            c.unretain();
            req.setResult(ConnectResponse.invalidSqeField(ConnectCommand.QID));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        int status = FabricsCommands.installQueue(c, queue, req, ctx);
        if (status != 0) {
            c.unretain();
            req.complete(status);
            return;
        }
        req.complete(Status.SUCCESS, c.cntlid);
    }

    void controllerFreed(Controller c) {
        cntlids.free(c.cntlid);
    }

    // ---- discovery ---------------------------------------------------------------------------------------------

    long genctr() {
        return genctr.get();
    }

    /** nvmet_port_disc_changed: bump GENCTR and notify the port's discovery controllers allowed to see {@code s}. */
    private void portDiscoveryChanged(PortRuntime port, Subsystem s) {
        genctr.incrementAndGet();
        for (Controller c : discovery.controllers) {
            if (c.port != port) {
                continue;
            }
            if (s != null && !s.hostAllowed(c.hostNqn)) {
                continue;
            }
            c.discoveryChanged();
        }
    }

    /** nvmet_subsys_disc_changed: the subsystem's hosts changed; notify on every port linking it. */
    private void subsystemDiscoveryChanged(Subsystem s, String host) {
        genctr.incrementAndGet();
        notifyDiscoveryControllers(s, host);
    }

    private void notifyDiscoveryControllers(Subsystem s, String host) {
        for (PortRuntime port : ports.values()) {
            if (!port.linked.contains(s)) {
                continue;
            }
            for (Controller c : discovery.controllers) {
                if (c.port == port && (host == null || host.equals(c.hostNqn))) {
                    c.discoveryChanged();
                }
            }
        }
    }

    /**
     * nvmet_execute_disc_get_log_page: the current discovery subsystem entry, one entry per subsystem linked to the
     * port and allowed for the host, then the port's referrals; read from LPO for the transfer length.
     */
    void writeDiscoveryLog(FabricsQueue queue, Controller c, NvmeRequest req, ByteBuf out, int base) {
        ByteBuf sqe = req.sqe();
        long offset = GetLogPageCommand.offset(sqe);
        int len = req.transferLength();
        PortRuntime port = queue.port;
        ByteBuf log;
        // Lock free like the connect path: links, referrals and GENCTR are published as volatile snapshots.
        {
            List<Subsystem> visible = new ArrayList<>();
            for (Subsystem s : port.linked) {
                if (s.hostAllowed(c.hostNqn)) {
                    visible.add(s);
                }
            }
            List<ReferralSpec> referrals = port.enabledReferrals();
            long generation = genctr.get();
            int records = 1 + visible.size() + referrals.size();
            log = queue.transport.allocator().heapBuffer(DiscoveryLogPage.HEADER_SIZE
                    + records * DiscoveryLogPage.ENTRY_SIZE);
            log.writeZero(log.capacity());
            String traddr = discoveryTraddr(port, queue.transport);
            String trsvcid = discoveryTrsvcid(port);
            int i = 0;
            writeEntry(log, i++, port, discovery.nqn, traddr, trsvcid, DiscoveryLogPage.SUBTYPE_CURRENT_DISCOVERY);
            for (Subsystem s : visible) {
                writeEntry(log, i++, port, s.nqn, traddr, trsvcid, DiscoveryLogPage.SUBTYPE_NVME);
            }
            for (ReferralSpec r : referrals) {
                writeReferral(log, i++, r);
            }
            log.setLongLE(DiscoveryLogPage.GENCTR, generation);
            log.setLongLE(DiscoveryLogPage.NUMREC, records);
            log.setShortLE(DiscoveryLogPage.RECFMT, 0);
            if (!GetLogPageCommand.rae(sqe)) {
                c.clearAenBit(Controller.AEN_BIT_DISC_CHANGE);
            }
        }
        try {
            int size = log.capacity();
            if (Long.compareUnsigned(offset, size) < 0) {
                int n = (int) Math.min(len, size - offset);
                out.setBytes(base, log, (int) offset, n);
            }
        } finally {
            log.release();
        }
    }

    private void writeEntry(ByteBuf log, int index, PortRuntime port, String nqn, String traddr, String trsvcid,
            int subtype) {
        PortAddress a = port.spec.address();
        int e = DiscoveryLogPage.entryOffset(index);
        FabricsTransport t = port.transport;
        int trtype = t != null ? t.discoveryTrtype() : DiscoveryLogPage.trtype(a.trtype());
        log.setByte(e + DiscoveryLogPage.TRTYPE, trtype);
        log.setByte(e + DiscoveryLogPage.ADRFAM, DiscoveryLogPage.adrfam(a.adrfam()));
        log.setByte(e + DiscoveryLogPage.SUBTYPE, subtype);
        log.setByte(e + DiscoveryLogPage.TREQ, a.treq());
        log.setShortLE(e + DiscoveryLogPage.PORTID, a.portId());
        log.setShortLE(e + DiscoveryLogPage.CNTLID, ConnectData.CNTLID_DYNAMIC);
        log.setShortLE(e + DiscoveryLogPage.ASQSZ, ADMIN_QUEUE_DEPTH);
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.TRSVCID, DiscoveryLogPage.TRSVCID_LENGTH, trsvcid);
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.SUBNQN, DiscoveryLogPage.SUBNQN_LENGTH, nqn);
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.TRADDR, DiscoveryLogPage.TRADDR_LENGTH, traddr);
    }

    private static void writeReferral(ByteBuf log, int index, ReferralSpec r) {
        int e = DiscoveryLogPage.entryOffset(index);
        log.setByte(e + DiscoveryLogPage.TRTYPE, DiscoveryLogPage.trtype(r.trtype()));
        log.setByte(e + DiscoveryLogPage.ADRFAM, DiscoveryLogPage.adrfam(r.adrfam()));
        log.setByte(e + DiscoveryLogPage.SUBTYPE, DiscoveryLogPage.SUBTYPE_REFERRAL);
        log.setByte(e + DiscoveryLogPage.TREQ, r.treq());
        log.setShortLE(e + DiscoveryLogPage.PORTID, r.portId());
        log.setShortLE(e + DiscoveryLogPage.CNTLID, ConnectData.CNTLID_DYNAMIC);
        log.setShortLE(e + DiscoveryLogPage.ASQSZ, ADMIN_QUEUE_DEPTH);
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.TRSVCID, DiscoveryLogPage.TRSVCID_LENGTH, r.trsvcid());
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.SUBNQN, DiscoveryLogPage.SUBNQN_LENGTH,
                DEFAULT_DISCOVERY_NQN);
        AsciiField.setNulPadded(log, e + DiscoveryLogPage.TRADDR, DiscoveryLogPage.TRADDR_LENGTH, r.traddr());
    }

    /**
     * TRADDR for entries of this port: the configured address, or for a wildcard listener the local address the
     * host connected to (nvmet_tcp_disc_port_addr).
     */
    private String discoveryTraddr(PortRuntime port, TransportQueue queue) {
        String traddr = port.spec.address().traddr();
        if (traddr != null && !isWildcard(traddr)) {
            return traddr;
        }
        String local = queue.localAddress();
        if (local != null) {
            return local;
        }
        TransportListener l = port.listener;
        return l != null ? l.boundTraddr() : traddr;
    }

    private static boolean isWildcard(String traddr) {
        return traddr.equals("0.0.0.0") || traddr.equals("::") || traddr.equals("[::]");
    }

    private static String discoveryTrsvcid(PortRuntime port) {
        TransportListener l = port.listener;
        return l != null && l.boundTrsvcid() != null ? l.boundTrsvcid() : port.spec.address().trsvcid();
    }

    // ---- runtime services --------------------------------------------------------------------------------------

    public void addTransport(FabricsTransport transport) {
        lock.lock();
        try {
            transports.add(transport);
            for (PortRuntime p : ports.values()) {
                if (p.listener == null && transport.type().equals(p.spec.address().trtype())) {
                    updateListener(p);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void removeTransport(FabricsTransport transport) {
        lock.lock();
        try {
            if (!transports.remove(transport)) {
                return;
            }
            for (PortRuntime p : ports.values()) {
                if (p.transport == transport) {
                    closeListener(p, "transport " + transport.type() + " not registered");
                    updateListener(p);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void addBackendFactory(BlockBackendFactory factory) {
        lock.lock();
        try {
            factories.add(factory);
            enablePending();
        } finally {
            lock.unlock();
        }
    }

    public void removeBackendFactory(BlockBackendFactory factory) {
        lock.lock();
        try {
            if (!factories.remove(factory)) {
                return;
            }
            for (Subsystem s : subsystems.values()) {
                for (Namespace ns : s.namespaces.values()) {
                    if (ns.isActive() && ns.factory == factory) {
                        disable(ns, "backend " + factory.kind() + " not registered");
                    }
                }
            }
            enablePending();
        } finally {
            lock.unlock();
        }
    }

    private void enablePending() {
        for (Subsystem s : subsystems.values()) {
            for (Namespace ns : s.namespaces.values()) {
                if (ns.spec.enabled() && !ns.isActive()) {
                    try {
                        enable(ns, "subsystems/" + s.nqn + "/namespaces/" + Integer.toUnsignedString(ns.nsid));
                    } catch (TargetConfigException e) {
                        LOG.warn("{}", e.getMessage());
                    }
                }
            }
        }
    }

    public void setIoAccounting(IoAccounting acc) {
        lock.lock();
        try {
            accounting = acc;
            for (Subsystem s : subsystems.values()) {
                for (Namespace ns : s.namespaces.values()) {
                    bindAccounting(ns);
                }
                PassthruBinding b = s.passthru;
                if (b != null) {
                    b.namespaces.bind(acc);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void unsetIoAccounting(IoAccounting acc) {
        lock.lock();
        try {
            if (accounting != acc) {
                return;
            }
            accounting = null;
            for (Subsystem s : subsystems.values()) {
                for (Namespace ns : s.namespaces.values()) {
                    ns.counters = null;
                }
                PassthruBinding b = s.passthru;
                if (b != null) {
                    b.namespaces.bind(null);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void bindAccounting(Namespace ns) {
        IoAccounting acc = accounting;
        ns.counters = acc == null ? null : acc.device(ns.deviceName);
    }

    private void unbindAccounting(Namespace ns) {
        IoAccounting acc = accounting;
        ns.counters = null;
        if (acc != null) {
            acc.remove(ns.deviceName);
        }
    }

    /** Stops listening, deletes controllers, closes backends and the timer thread. */
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PortRuntime p : ports.values()) {
                closeListener(p, "target stopped");
            }
            List<Subsystem> all = new ArrayList<>(subsystems.values());
            all.add(discovery);
            for (Subsystem s : all) {
                for (Controller c : s.controllers) {
                    c.delete();
                }
                disablePassthru(s, "target stopped");
                for (Namespace ns : s.namespaces.values()) {
                    ns.deactivate("target stopped");
                }
                s.refreshActive();
            }
        } finally {
            lock.unlock();
        }
        scheduler.shutdownNow();
    }
}
