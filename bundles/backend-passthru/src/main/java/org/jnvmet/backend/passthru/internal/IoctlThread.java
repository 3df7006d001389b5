package org.jnvmet.backend.passthru.internal;

import jnr.ffi.Pointer;

/** A device pool thread with its own {@code struct nvme_passthru_cmd64}, so no command allocates one. */
final class IoctlThread extends Thread {
    final Pointer cmd = Native.allocate(PassthruCmd64.SIZE);

    IoctlThread(Runnable r, String name) {
        super(r, name);
        setDaemon(true);
    }
}
