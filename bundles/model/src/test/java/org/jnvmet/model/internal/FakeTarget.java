package org.jnvmet.model.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.spi.passthru.PassthruSpec;

/** An NvmeTarget that keeps what it is told and records every call ("putPort 1", "removeNamespace nqn 2"). */
final class FakeTarget implements NvmeTarget {
    final List<String> calls = new ArrayList<>();
    final Map<String, SubsystemSpec> subsystems = new TreeMap<>();
    final Map<String, Map<Integer, NamespaceSpec>> namespaces = new TreeMap<>();
    final Map<Integer, PortSpec> ports = new TreeMap<>();
    final Map<String, PassthruSpec> passthru = new TreeMap<>();
    String discoveryNqn = DEFAULT_DISCOVERY_NQN;
    /** Calls matching this are refused with a TargetConfigException. */
    volatile Predicate<String> refuse = c -> false;

    private synchronized void call(String c, String field) {
        if (refuse.test(c)) {
            throw new TargetConfigException(field, "refused by the fake target");
        }
        calls.add(c);
    }

    synchronized List<String> takeCalls() {
        List<String> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    @Override
    public synchronized void setDiscoveryNqn(String nqn) {
        call("setDiscoveryNqn " + nqn, "discovery_nqn");
        discoveryNqn = nqn;
    }

    @Override
    public synchronized String discoveryNqn() {
        return discoveryNqn;
    }

    @Override
    public synchronized void putSubsystem(SubsystemSpec spec) {
        call("putSubsystem " + spec.nqn(), "subsystems/" + spec.nqn());
        subsystems.put(spec.nqn(), spec);
        namespaces.computeIfAbsent(spec.nqn(), k -> new TreeMap<>());
    }

    @Override
    public synchronized void removeSubsystem(String nqn) {
        call("removeSubsystem " + nqn, "subsystems/" + nqn);
        subsystems.remove(nqn);
        namespaces.remove(nqn);
        passthru.remove(nqn);
    }

    @Override
    public synchronized void putPassthru(String nqn, PassthruSpec spec) {
        call("putPassthru " + nqn, "subsystems/" + nqn + "/passthru");
        if (!subsystems.containsKey(nqn)) {
            throw new TargetConfigException("subsystems/" + nqn, "no such subsystem");
        }
        passthru.put(nqn, spec);
    }

    @Override
    public synchronized void removePassthru(String nqn) {
        call("removePassthru " + nqn, "subsystems/" + nqn + "/passthru");
        passthru.remove(nqn);
    }

    @Override
    public synchronized Map<String, PassthruSpec> passthru() {
        return Map.copyOf(passthru);
    }

    @Override
    public synchronized void putNamespace(String nqn, NamespaceSpec spec) {
        call("putNamespace " + nqn + " " + spec.nsid(), "subsystems/" + nqn + "/namespaces/" + spec.nsid());
        if (!subsystems.containsKey(nqn)) {
            throw new TargetConfigException("subsystems/" + nqn, "no such subsystem");
        }
        namespaces.get(nqn).put(spec.nsid(), spec);
    }

    @Override
    public synchronized void removeNamespace(String nqn, int nsid) {
        call("removeNamespace " + nqn + " " + nsid, "subsystems/" + nqn + "/namespaces/" + nsid);
        namespaces.get(nqn).remove(nsid);
    }

    @Override
    public synchronized void putPort(PortSpec spec) {
        call("putPort " + spec.portId(), "ports/" + spec.portId());
        for (String s : spec.subsystems()) {
            if (!subsystems.containsKey(s)) {
                throw new TargetConfigException("ports/" + spec.portId() + "/subsystems/" + s, "no such subsystem");
            }
        }
        ports.put(spec.portId(), spec);
    }

    @Override
    public synchronized void removePort(int portId) {
        call("removePort " + portId, "ports/" + portId);
        ports.remove(portId);
    }

    @Override
    public synchronized List<SubsystemSpec> subsystems() {
        return List.copyOf(subsystems.values());
    }

    @Override
    public synchronized List<NamespaceSpec> namespaces(String nqn) {
        return List.copyOf(namespaces.getOrDefault(nqn, Map.of()).values());
    }

    @Override
    public synchronized List<PortSpec> ports() {
        return List.copyOf(ports.values());
    }

    @Override
    public List<PortStatus> portStatus() {
        return List.of();
    }

    @Override
    public List<ControllerInfo> controllers() {
        return List.of();
    }

    /** Everything the target holds, for comparing before and after a rollback. */
    synchronized String state() {
        return discoveryNqn + " " + subsystems + " " + namespaces + " " + ports;
    }
}
