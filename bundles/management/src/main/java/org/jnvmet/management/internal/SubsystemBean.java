package org.jnvmet.management.internal;

import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.management.NamespaceInfo;
import org.jnvmet.management.SubsystemMXBean;
import org.jnvmet.management.internal.TargetSnapshot.SubsystemView;

/** {@link SubsystemMXBean} over the subsystem's view in the latest snapshot. */
final class SubsystemBean implements SubsystemMXBean {
    private volatile SubsystemView view;

    SubsystemBean(SubsystemView view) {
        this.view = view;
    }

    void update(SubsystemView v) {
        view = v;
    }

    @Override
    public String getNqn() {
        return view.spec().nqn();
    }

    @Override
    public boolean isAllowAnyHost() {
        return view.spec().allowAnyHost();
    }

    @Override
    public String[] getAllowedHosts() {
        return view.spec().allowedHosts().toArray(String[]::new);
    }

    @Override
    public String getSerial() {
        return view.spec().serial();
    }

    @Override
    public String getModel() {
        return view.spec().model();
    }

    @Override
    public String getVersion() {
        return view.spec().version();
    }

    @Override
    public NamespaceInfo[] getNamespaces() {
        return view.namespaces().stream()
                .map(n -> new NamespaceInfo(n.nsid(), n.devicePath(), n.enabled(),
                        n.uuid() == null ? null : n.uuid().toString()))
                .toArray(NamespaceInfo[]::new);
    }

    @Override
    public int getNamespaceCount() {
        return view.namespaces().size();
    }

    @Override
    public int getEnabledNamespaceCount() {
        return (int) view.namespaces().stream().filter(NamespaceSpec::enabled).count();
    }

    @Override
    public int[] getPorts() {
        return view.ports().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int getControllerCount() {
        return view.controllers();
    }

    @Override
    public String getPassthruDevicePath() {
        return view.passthru() == null ? null : view.passthru().devicePath();
    }

    @Override
    public boolean isPassthruEnabled() {
        return view.passthru() != null && view.passthru().enable();
    }

    @Override
    public boolean isPassthruActive() {
        PassthruStatus s = view.passthruStatus();
        return s != null && s.active();
    }

    @Override
    public String getPassthruReason() {
        PassthruStatus s = view.passthruStatus();
        return s == null ? null : s.reason();
    }
}
