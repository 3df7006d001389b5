package org.jnvmet.management.internal;

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

/** An NvmeTarget whose answers the test sets directly; thread-safe enough for a refresh timer. */
final class FakeTarget implements NvmeTarget {
    final Map<Integer, PortSpec> ports = new LinkedHashMap<>();
    final Map<Integer, PortStatus> portStatus = new LinkedHashMap<>();
    final Map<String, SubsystemSpec> subsystems = new LinkedHashMap<>();
    final Map<String, List<NamespaceSpec>> namespaces = new LinkedHashMap<>();
    final Map<String, PassthruSpec> passthru = new LinkedHashMap<>();
    final List<PassthruStatus> passthruStatus = new ArrayList<>();
    final List<ControllerInfo> controllers = new ArrayList<>();

    /** A TCP port on 127.0.0.1:{@code trsvcid}, listening or not with {@code reason}. */
    synchronized void port(int id, int trsvcid, List<String> nqns, boolean listening, String reason) {
        ports.put(id, PortSpec.tcp(id, "127.0.0.1", trsvcid, nqns));
        portStatus.put(id, new PortStatus(id, "tcp", "127.0.0.1", Integer.toString(trsvcid), listening, reason));
    }

    synchronized void subsystem(String nqn, NamespaceSpec... ns) {
        subsystems.put(nqn, SubsystemSpec.of(nqn));
        namespaces.put(nqn, List.of(ns));
    }

    synchronized void controller(String nqn, int cntlid, int portId) {
        controllers.add(new ControllerInfo(nqn, cntlid, "nqn.2014-08.org.nvmexpress:uuid:host-" + cntlid,
                "00000000-0000-0000-0000-00000000000" + (cntlid % 10), portId, 2, 15_000, true,
                "127.0.0.1:5" + cntlid));
    }

    @Override
    public void setDiscoveryNqn(String nqn) {
    }

    @Override
    public String discoveryNqn() {
        return DEFAULT_DISCOVERY_NQN;
    }

    @Override
    public void putSubsystem(SubsystemSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeSubsystem(String nqn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putNamespace(String subsystemNqn, NamespaceSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeNamespace(String subsystemNqn, int nsid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putPort(PortSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removePort(int portId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized List<SubsystemSpec> subsystems() {
        return List.copyOf(subsystems.values());
    }

    @Override
    public synchronized List<NamespaceSpec> namespaces(String subsystemNqn) {
        List<NamespaceSpec> ns = namespaces.get(subsystemNqn);
        if (ns == null) {
            throw new TargetConfigException("subsystems/" + subsystemNqn, "no such subsystem");
        }
        return ns;
    }

    @Override
    public synchronized List<PortSpec> ports() {
        return List.copyOf(ports.values());
    }

    @Override
    public synchronized List<PortStatus> portStatus() {
        return List.copyOf(portStatus.values());
    }

    @Override
    public synchronized List<ControllerInfo> controllers() {
        return List.copyOf(controllers);
    }

    @Override
    public synchronized Map<String, PassthruSpec> passthru() {
        return Map.copyOf(passthru);
    }

    @Override
    public synchronized List<PassthruStatus> passthruStatus() {
        return List.copyOf(passthruStatus);
    }
}
