package org.jnvmet.launcher;

import org.jnvmet.backend.passthru.EmulatedNvmeDeviceFactory;
import org.jnvmet.backend.passthru.LinuxNvmeDeviceFactory;
import org.jnvmet.core.NvmetCore;

/** Registers the passthru device factories: the emulated controller ({@code emulated:NAME}) and Linux char devices. */
final class PassthruDevices {
    private PassthruDevices() {
    }

    static void register(NvmetCore core) {
        core.addDeviceFactory(new EmulatedNvmeDeviceFactory());
        core.addDeviceFactory(new LinuxNvmeDeviceFactory());
    }
}
