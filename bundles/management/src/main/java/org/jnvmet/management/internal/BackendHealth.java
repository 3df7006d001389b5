package org.jnvmet.management.internal;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.management.internal.HealthReport.Status;

/**
 * Health of the namespace backends and passthru controllers, one summary entry per backend kind ("ram", "file",
 * "bdev", "passthru"): how many namespaces are configured, how many enabled, and how many of those a registered
 * backend serves. An enabled namespace that no registered {@link BlockBackendFactory} accepts (its backend bundle
 * is missing or restarting, or its file is gone) is CRITICAL, as is an enabled passthru subsystem whose controller
 * is not open (with the target's reason). Disabled namespaces are reported, not judged.
 *
 * <p>NvmeTarget does not tell whether an enabled namespace's backend is open; the target opens it whenever a
 * factory that accepts its device_path is registered, so that is what is checked here.
 */
public final class BackendHealth {
    public static final String PASSTHRU = "passthru";

    private BackendHealth() {
    }

    /** Counts of one backend kind. */
    private static final class Tally {
        int configured;
        int enabled;
        int served;
    }

    /** @param only backend kinds to check; empty for every kind */
    public static HealthReport evaluate(NvmeTarget target, Collection<BlockBackendFactory> factories,
            Set<String> only) {
        HealthReport report = new HealthReport();
        Map<String, Tally> tallies = new TreeMap<>();
        HealthReport problems = new HealthReport();
        for (SubsystemSpec s : target.subsystems()) {
            for (NamespaceSpec ns : namespaces(target, s.nqn())) {
                BackendSpec spec = new BackendSpec(ns.devicePath(), ns.bufferedIo(), ns.blockSize());
                BlockBackendFactory factory = acceptingFactory(factories, spec);
                String kind = factory != null ? factory.kind() : guessKind(ns.devicePath());
                if (!only.isEmpty() && !only.contains(kind)) {
                    continue;
                }
                Tally t = tallies.computeIfAbsent(kind, k -> new Tally());
                t.configured++;
                if (!ns.enabled()) {
                    continue;
                }
                t.enabled++;
                if (factory != null) {
                    t.served++;
                } else {
                    problems.add(Status.CRITICAL, "subsystems/" + s.nqn() + "/namespaces/" + ns.nsid()
                            + " is enabled but no registered " + kind + " backend accepts " + ns.devicePath());
                }
            }
        }
        if (only.isEmpty() || only.contains(PASSTHRU)) {
            for (PassthruStatus p : target.passthruStatus()) {
                Tally t = tallies.computeIfAbsent(PASSTHRU, k -> new Tally());
                t.configured++;
                if (!p.enabled()) {
                    continue;
                }
                t.enabled++;
                if (p.active()) {
                    t.served++;
                } else {
                    problems.add(Status.CRITICAL, "subsystems/" + p.subsystemNqn() + "/passthru on "
                            + p.devicePath() + " is enabled but not serving: " + p.reason());
                }
            }
        }
        tallies.forEach((kind, t) -> report.add(Status.OK, "backend " + kind + ": " + t.configured + " configured, "
                + t.enabled + " enabled, " + t.served + " served"));
        problems.entries().forEach(e -> report.add(e.status(), e.message()));
        if (tallies.isEmpty()) {
            report.add(Status.OK, only.isEmpty() ? "no namespaces or passthru subsystems configured"
                    : "nothing configured for backends " + only);
        }
        return report;
    }

    private static List<NamespaceSpec> namespaces(NvmeTarget target, String nqn) {
        try {
            return target.namespaces(nqn);
        } catch (TargetConfigException e) {
            return List.of(); // removed meanwhile
        }
    }

    private static BlockBackendFactory acceptingFactory(Collection<BlockBackendFactory> factories, BackendSpec spec) {
        if (spec.devicePath() == null) {
            return null;
        }
        for (BlockBackendFactory f : factories) {
            try {
                if (f.accepts(spec)) {
                    return f;
                }
            } catch (RuntimeException e) {
                // a broken factory serves nothing
            }
        }
        return null;
    }

    /** The kind a namespace would have if its backend were registered (the core's own choice for ram:). */
    static String guessKind(String devicePath) {
        if (devicePath == null) {
            return "none";
        }
        String p = devicePath.toLowerCase(Locale.ROOT);
        if (p.startsWith("ram:")) {
            return "ram";
        }
        return p.startsWith("/dev/") ? "bdev" : "file";
    }
}
