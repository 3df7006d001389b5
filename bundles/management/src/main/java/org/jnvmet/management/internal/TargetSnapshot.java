package org.jnvmet.management.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.spi.passthru.PassthruSpec;

/**
 * What the MBeans show, read from {@link NvmeTarget} in one go. The target may change between its calls (a
 * subsystem removed after {@code subsystems()}); such an object simply shows up in the next snapshot.
 */
record TargetSnapshot(Instant taken, String discoveryNqn, Map<Integer, PortView> ports,
        Map<String, SubsystemView> subsystems, Map<ControllerKey, ControllerInfo> controllers) {

    /** A port's configuration with its state; {@code status} null if the port vanished in between. */
    record PortView(PortSpec spec, PortStatus status, int controllers) {
    }

    /** A subsystem's configuration; {@code passthru} and {@code passthruStatus} null for namespace subsystems. */
    record SubsystemView(SubsystemSpec spec, List<NamespaceSpec> namespaces, PassthruSpec passthru,
            PassthruStatus passthruStatus, List<Integer> ports, int controllers) {
    }

    record ControllerKey(String subsystemNqn, int cntlid) {
    }

    static TargetSnapshot capture(NvmeTarget target, Instant now) {
        List<ControllerInfo> controllers = target.controllers();
        Map<Integer, PortStatus> statuses = new LinkedHashMap<>();
        for (PortStatus s : target.portStatus()) {
            statuses.put(s.portId(), s);
        }
        Map<Integer, PortView> ports = new LinkedHashMap<>();
        List<PortSpec> portSpecs = target.ports();
        for (PortSpec p : portSpecs) {
            int count = (int) controllers.stream().filter(c -> c.portId() == p.portId()).count();
            ports.put(p.portId(), new PortView(p, statuses.get(p.portId()), count));
        }
        Map<String, PassthruSpec> passthru = target.passthru();
        Map<String, PassthruStatus> passthruStatus = new LinkedHashMap<>();
        for (PassthruStatus s : target.passthruStatus()) {
            passthruStatus.put(s.subsystemNqn(), s);
        }
        Map<String, SubsystemView> subsystems = new LinkedHashMap<>();
        for (SubsystemSpec s : target.subsystems()) {
            List<Integer> linked = new ArrayList<>();
            for (PortSpec p : portSpecs) {
                if (p.subsystems().contains(s.nqn())) {
                    linked.add(p.portId());
                }
            }
            int count = (int) controllers.stream().filter(c -> c.subsystemNqn().equals(s.nqn())).count();
            subsystems.put(s.nqn(), new SubsystemView(s, namespaces(target, s.nqn()), passthru.get(s.nqn()),
                    passthruStatus.get(s.nqn()), List.copyOf(linked), count));
        }
        Map<ControllerKey, ControllerInfo> byKey = new LinkedHashMap<>();
        for (ControllerInfo c : controllers) {
            byKey.put(new ControllerKey(c.subsystemNqn(), c.cntlid()), c);
        }
        return new TargetSnapshot(now, target.discoveryNqn(), ports, subsystems, byKey);
    }

    private static List<NamespaceSpec> namespaces(NvmeTarget target, String nqn) {
        try {
            return target.namespaces(nqn);
        } catch (TargetConfigException e) {
            return List.of(); // removed since subsystems() was read
        }
    }
}
