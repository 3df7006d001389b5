package org.jnvmet.core.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.spi.passthru.PassthruSpec;

/**
 * An NVM subsystem or the discovery subsystem. Configuration fields change under the engine's config lock; the
 * active namespace array is copy-on-write so I/O looks namespaces up without locking or allocating.
 */
final class Subsystem {
    static final int MAX_NAMESPACES = 1024;
    static final String DEFAULT_MODEL = "Linux";
    static final int DEFAULT_VERSION = ControllerRegisters.version(1, 3, 0);
    private static final Namespace[] NONE = new Namespace[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fixed for NVM subsystems; the discovery subsystem follows discovery_nqn. */
    volatile String nqn;
    final boolean discovery;
    volatile SubsystemSpec spec;
    /** Serial generated like Linux (20 random hex digits) unless attr_serial is set. */
    final String generatedSerial;
    /** Set by the first Identify Controller; serial, model, firmware and version are then fixed. */
    volatile boolean identified;

    /** All configured namespaces by NSID, enabled or not. Guarded by the config lock. */
    final Map<Integer, Namespace> namespaces = new TreeMap<>(Integer::compareUnsigned);
    /** Active namespaces sorted by unsigned NSID. */
    private volatile Namespace[] active = NONE;
    final List<Controller> controllers = new CopyOnWriteArrayList<>();

    /** The passthru/ group as configured; null when never set (or removed). Changed under the config lock. */
    volatile PassthruSpec passthruSpec;
    /** The open passthru controller while passthru is enabled and its device could be opened. */
    volatile PassthruBinding passthru;
    /** Why an enabled passthru group has no open controller. */
    volatile String passthruReason;

    Subsystem(String nqn, SubsystemSpec spec, boolean discovery) {
        this.nqn = nqn;
        this.spec = spec;
        this.discovery = discovery;
        byte[] raw = new byte[10];
        RANDOM.nextBytes(raw);
        this.generatedSerial = HexFormat.of().formatHex(raw);
    }

    String serial() {
        String s = spec.serial();
        return s != null ? s : generatedSerial;
    }

    String model() {
        String m = spec.model();
        return m != null ? m : DEFAULT_MODEL;
    }

    String firmware(String defaultFirmware) {
        String f = spec.firmware();
        return f != null ? f : defaultFirmware;
    }

    int version() {
        return spec.version() == null ? DEFAULT_VERSION : parseVersion(spec.version());
    }

    /** passthru/enable is set: the subsystem exports a whole controller instead of namespaces. */
    boolean passthruEnabled() {
        PassthruSpec p = passthruSpec;
        return p != null && p.enable();
    }

    /** attr_qid_max; the discovery subsystem has no I/O queues. */
    int maxQid() {
        return discovery ? 0 : spec.qidMax();
    }

    /** Parses attr_version "major.minor[.tertiary]"; throws IllegalArgumentException when malformed. */
    static int parseVersion(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("expected major.minor[.tertiary]");
        }
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        int tertiary = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
        if (major < 0 || major > 0xFFFF || minor < 0 || minor > 0xFF || tertiary < 0 || tertiary > 0xFF) {
            throw new IllegalArgumentException("version field out of range");
        }
        return ControllerRegisters.version(major, minor, tertiary);
    }

    boolean hostAllowed(String hostNqn) {
        SubsystemSpec s = spec;
        return discovery || s.allowAnyHost() || s.allowedHosts().contains(hostNqn);
    }

    /** The active namespace with this NSID, or null. Lock and allocation free. */
    Namespace findActive(int nsid) {
        Namespace[] a = active;
        int lo = 0;
        int hi = a.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(a[mid].nsid, nsid);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return a[mid];
            }
        }
        return null;
    }

    Namespace[] activeNamespaces() {
        return active;
    }

    /** Rebuilds the lookup array from the namespaces currently active. Called under the config lock. */
    void refreshActive() {
        List<Namespace> list = new ArrayList<>();
        for (Namespace ns : namespaces.values()) {
            if (ns.isActive()) {
                list.add(ns);
            }
        }
        Namespace[] a = list.toArray(NONE);
        Arrays.sort(a, (x, y) -> Integer.compareUnsigned(x.nsid, y.nsid));
        active = a;
    }

    /** Records an attribute change of {@code nsid} in every controller (nvmet_ns_changed). */
    void namespaceChanged(int nsid) {
        for (Controller c : controllers) {
            c.namespaceChanged(nsid);
        }
    }
}
