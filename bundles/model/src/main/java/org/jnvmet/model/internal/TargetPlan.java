package org.jnvmet.model.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minimal list of {@link NvmeTarget} calls that turns one {@link SpecState} into another, each with its inverse.
 * Unchanged objects are not touched. Order: discovery NQN, ports that go away (freeing their addresses), subsystems,
 * removed namespaces, passthru groups that go away or are disabled, namespaces, passthru groups that are enabled
 * (after the namespaces they exclude are gone, before ports export them), ports, and last the subsystems that go
 * away (after the ports stopped linking them; their passthru goes with them). If a call fails, the calls already
 * made are undone in reverse order.
 */
final class TargetPlan {
    private static final Logger LOG = LoggerFactory.getLogger(TargetPlan.class);

    /** One call and how to undo it. */
    record Step(String description, String path, Runnable apply, Runnable undo) {
    }

    private final List<Step> steps = new ArrayList<>();

    List<Step> steps() {
        return steps;
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    static TargetPlan between(SpecState from, SpecState to, NvmeTarget t) {
        TargetPlan plan = new TargetPlan();
        List<Step> s = plan.steps;
        if (!Objects.equals(from.discoveryNqn(), to.discoveryNqn())) {
            String before = from.discoveryNqn();
            s.add(new Step("setDiscoveryNqn " + to.discoveryNqn(), "discovery_nqn",
                    () -> t.setDiscoveryNqn(to.discoveryNqn()), () -> t.setDiscoveryNqn(before)));
        }
        for (var e : from.ports().entrySet()) {
            if (!to.ports().containsKey(e.getKey())) {
                int id = e.getKey();
                PortSpec old = e.getValue();
                s.add(new Step("removePort " + id, "ports/" + id, () -> t.removePort(id), () -> t.putPort(old)));
            }
        }
        for (var e : to.subsystems().entrySet()) {
            SubsystemSpec old = from.subsystems().get(e.getKey());
            if (!e.getValue().equals(old)) {
                SubsystemSpec spec = e.getValue();
                s.add(new Step("putSubsystem " + spec.nqn(), "subsystems/" + spec.nqn(), () -> t.putSubsystem(spec),
                        old == null ? () -> t.removeSubsystem(spec.nqn()) : () -> t.putSubsystem(old)));
            }
        }
        for (String nqn : to.subsystems().keySet()) {
            if (!from.subsystems().containsKey(nqn)) {
                continue;
            }
            for (var e : from.namespacesOf(nqn).entrySet()) {
                if (!to.namespacesOf(nqn).containsKey(e.getKey())) {
                    int nsid = e.getKey();
                    NamespaceSpec old = e.getValue();
                    s.add(new Step("removeNamespace " + nqn + " " + nsid, nsPath(nqn, nsid),
                            () -> t.removeNamespace(nqn, nsid), () -> t.putNamespace(nqn, old)));
                }
            }
        }
        for (String nqn : to.subsystems().keySet()) {
            PassthruSpec old = from.subsystems().containsKey(nqn) ? from.passthru().get(nqn) : null;
            PassthruSpec spec = to.passthru().get(nqn);
            if (Objects.equals(old, spec)) {
                continue;
            }
            if (spec == null) {
                s.add(new Step("removePassthru " + nqn, ptPath(nqn), () -> t.removePassthru(nqn),
                        () -> t.putPassthru(nqn, old)));
            } else if (!spec.enable()) {
                s.add(putPassthru(t, nqn, spec, old));
            }
        }
        for (String nqn : to.subsystems().keySet()) {
            Map<Integer, NamespaceSpec> before = from.subsystems().containsKey(nqn) ? from.namespacesOf(nqn) : Map.of();
            for (var e : to.namespacesOf(nqn).entrySet()) {
                NamespaceSpec old = before.get(e.getKey());
                if (!e.getValue().equals(old)) {
                    NamespaceSpec spec = e.getValue();
                    s.add(new Step("putNamespace " + nqn + " " + spec.nsid(), nsPath(nqn, spec.nsid()),
                            () -> t.putNamespace(nqn, spec),
                            old == null ? () -> t.removeNamespace(nqn, spec.nsid()) : () -> t.putNamespace(nqn, old)));
                }
            }
        }
        for (String nqn : to.subsystems().keySet()) {
            PassthruSpec old = from.subsystems().containsKey(nqn) ? from.passthru().get(nqn) : null;
            PassthruSpec spec = to.passthru().get(nqn);
            if (spec != null && spec.enable() && !spec.equals(old)) {
                s.add(putPassthru(t, nqn, spec, old));
            }
        }
        for (var e : to.ports().entrySet()) {
            PortSpec old = from.ports().get(e.getKey());
            if (!e.getValue().equals(old)) {
                PortSpec spec = e.getValue();
                s.add(new Step("putPort " + spec.portId(), "ports/" + spec.portId(), () -> t.putPort(spec),
                        old == null ? () -> t.removePort(spec.portId()) : () -> t.putPort(old)));
            }
        }
        for (var e : from.subsystems().entrySet()) {
            if (!to.subsystems().containsKey(e.getKey())) {
                String nqn = e.getKey();
                SubsystemSpec old = e.getValue();
                Map<Integer, NamespaceSpec> oldNs = from.namespacesOf(nqn);
                PassthruSpec oldPt = from.passthru().get(nqn);
                s.add(new Step("removeSubsystem " + nqn, "subsystems/" + nqn, () -> t.removeSubsystem(nqn), () -> {
                    t.putSubsystem(old);
                    oldNs.values().forEach(ns -> t.putNamespace(nqn, ns));
                    if (oldPt != null) {
                        t.putPassthru(nqn, oldPt);
                    }
                }));
            }
        }
        return plan;
    }

    private static Step putPassthru(NvmeTarget t, String nqn, PassthruSpec spec, PassthruSpec old) {
        return new Step("putPassthru " + nqn, ptPath(nqn), () -> t.putPassthru(nqn, spec),
                old == null ? () -> t.removePassthru(nqn) : () -> t.putPassthru(nqn, old));
    }

    private static String ptPath(String nqn) {
        return "subsystems/" + nqn + "/" + Kind.PASSTHRU_DIR;
    }

    private static String nsPath(String nqn, int nsid) {
        return "subsystems/" + nqn + "/namespaces/" + Integer.toUnsignedString(nsid);
    }

    /** Runs every step; on a failure undoes the steps already run and rethrows as a TargetConfigException. */
    void execute() {
        List<Step> done = new ArrayList<>();
        for (Step step : steps) {
            try {
                LOG.debug("target: {}", step.description());
                step.apply().run();
                done.add(step);
            } catch (RuntimeException e) {
                LOG.warn("target refused {}: {}; rolling back {} call(s)", step.description(), e.getMessage(),
                        done.size());
                for (int i = done.size() - 1; i >= 0; i--) {
                    Step undo = done.get(i);
                    try {
                        undo.undo().run();
                    } catch (RuntimeException u) {
                        LOG.error("rollback of {} failed", undo.description(), u);
                        e.addSuppressed(u);
                    }
                }
                if (e instanceof TargetConfigException tce) {
                    throw tce;
                }
                TargetConfigException wrapped =
                        new TargetConfigException(step.path(), "the target refused the change: " + e);
                wrapped.initCause(e);
                throw wrapped;
            }
        }
    }
}
