package org.jnvmet.core.internal.passthru;

import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.spi.passthru.DeviceEvent;

/**
 * Which device events a passthru controller turns into Asynchronous Events (Linux forwards none; jnvmet forwards
 * namespace changes and SMART critical warnings the host enabled with Set Features 0Bh).
 */
public final class PassthruEvents {
    private PassthruEvents() {
    }

    /**
     * The AER completion DW0 to queue for {@code event} on a controller whose Asynchronous Event Configuration is
     * {@code aenConfig}, or -1 when the host did not ask for it (or the event has no AEN).
     */
    public static int asyncEventResult(DeviceEvent event, int aenConfig) {
        boolean enabled = switch (event.kind()) {
            case NAMESPACE_ATTRIBUTE_CHANGED -> (aenConfig & FeatureId.AEN_CFG_NAMESPACE_ATTRIBUTE) != 0;
            // SMART / Health Critical Warnings: AEC bits 7:0 enable the critical warning bits one to one
            case SMART_CRITICAL_WARNING -> (aenConfig & FeatureId.AEN_CFG_SMART_MASK & event.detail()) != 0;
            case REMOVED -> false;
        };
        return enabled ? event.asyncEventResult() : -1;
    }
}
