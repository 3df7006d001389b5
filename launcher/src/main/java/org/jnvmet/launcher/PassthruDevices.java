package org.jnvmet.launcher;

import java.util.List;
import org.jnvmet.core.NvmetCore;

/** Registers the passthru device factories (emulated controller, Linux NVMe char devices) with the core. */
final class PassthruDevices {
    private PassthruDevices() {
    }

    static void register(NvmetCore core, List<AutoCloseable> closeables) {
        // Wired once the core accepts NvmeDeviceFactory services (passthru integration in progress).
    }
}
