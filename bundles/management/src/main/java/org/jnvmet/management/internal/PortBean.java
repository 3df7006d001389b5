package org.jnvmet.management.internal;

import org.jnvmet.api.PortStatus;
import org.jnvmet.management.PortMXBean;
import org.jnvmet.management.internal.TargetSnapshot.PortView;
import org.jnvmet.spi.transport.PortAddress;

/** {@link PortMXBean} over the port's view in the latest snapshot. */
final class PortBean implements PortMXBean {
    private volatile PortView view;

    PortBean(PortView view) {
        this.view = view;
    }

    void update(PortView v) {
        view = v;
    }

    private PortAddress address() {
        return view.spec().address();
    }

    @Override
    public int getPortId() {
        return address().portId();
    }

    @Override
    public String getTrtype() {
        return address().trtype();
    }

    @Override
    public String getAdrfam() {
        return address().adrfam();
    }

    @Override
    public String getTraddr() {
        PortStatus s = view.status();
        return s != null ? s.traddr() : address().traddr();
    }

    @Override
    public String getTrsvcid() {
        PortStatus s = view.status();
        return s != null ? s.trsvcid() : address().trsvcid();
    }

    @Override
    public boolean isListening() {
        PortStatus s = view.status();
        return s != null && s.listening();
    }

    @Override
    public String getReason() {
        PortStatus s = view.status();
        return s == null ? "port removed" : s.reason();
    }

    @Override
    public String[] getSubsystems() {
        return view.spec().subsystems().toArray(String[]::new);
    }

    @Override
    public int getControllerCount() {
        return view.controllers();
    }
}
