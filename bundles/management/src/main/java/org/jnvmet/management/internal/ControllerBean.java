package org.jnvmet.management.internal;

import org.jnvmet.api.ControllerInfo;
import org.jnvmet.management.ControllerMXBean;

/** {@link ControllerMXBean} over the controller as the latest snapshot saw it. */
final class ControllerBean implements ControllerMXBean {
    private volatile ControllerInfo info;

    ControllerBean(ControllerInfo info) {
        this.info = info;
    }

    void update(ControllerInfo i) {
        info = i;
    }

    @Override
    public String getSubsystemNqn() {
        return info.subsystemNqn();
    }

    @Override
    public int getCntlid() {
        return info.cntlid();
    }

    @Override
    public String getHostNqn() {
        return info.hostNqn();
    }

    @Override
    public String getHostId() {
        return info.hostId();
    }

    @Override
    public int getPortId() {
        return info.portId();
    }

    @Override
    public int getIoQueues() {
        return info.ioQueues();
    }

    @Override
    public long getKatoMillis() {
        return info.kato();
    }

    @Override
    public boolean isReady() {
        return info.ready();
    }

    @Override
    public String getPeer() {
        return info.peer();
    }
}
