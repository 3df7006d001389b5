package org.jnvmet.management.internal;

import java.util.List;
import java.util.Set;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.management.internal.HealthReport.Status;

/**
 * Health of the target's ports, one entry per port: OK while it listens; WARN when it does not listen because no
 * subsystem is linked to it (the Linux target behaves the same: nothing to export); CRITICAL when it should listen
 * and does not (transport not registered, listen failed), with the target's reason. No port at all is a WARN: the
 * target exports nothing.
 */
public final class PortHealth {
    private PortHealth() {
    }

    /** @param only port IDs to check; empty for every port */
    public static HealthReport evaluate(NvmeTarget target, Set<Integer> only) {
        HealthReport report = new HealthReport();
        List<PortSpec> specs = target.ports();
        int checked = 0;
        for (PortStatus p : target.portStatus()) {
            if (!only.isEmpty() && !only.contains(p.portId())) {
                continue;
            }
            checked++;
            String where = "port " + p.portId() + " (" + p.trtype() + " " + p.traddr() + ":" + p.trsvcid() + ")";
            if (p.listening()) {
                report.add(Status.OK, where + " listening, subsystems " + linked(specs, p.portId()));
            } else if (linked(specs, p.portId()).isEmpty()) {
                report.add(Status.WARN, where + " not listening: " + reason(p, "no subsystems linked"));
            } else {
                report.add(Status.CRITICAL, where + " not listening: " + reason(p, "unknown reason"));
            }
        }
        for (int id : only) {
            if (specs.stream().noneMatch(s -> s.portId() == id)) {
                report.add(Status.CRITICAL, "port " + id + " is not configured");
            }
        }
        if (checked == 0 && only.isEmpty()) {
            report.add(Status.WARN, "no ports configured: the target exports nothing");
        }
        return report;
    }

    private static List<String> linked(List<PortSpec> specs, int portId) {
        return specs.stream().filter(s -> s.portId() == portId).findFirst().map(PortSpec::subsystems)
                .orElse(List.of());
    }

    private static String reason(PortStatus p, String fallback) {
        return p.reason() == null || p.reason().isBlank() ? fallback : p.reason();
    }
}
