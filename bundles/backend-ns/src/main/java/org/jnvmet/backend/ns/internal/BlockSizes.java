package org.jnvmet.backend.ns.internal;

import java.io.IOException;
import org.jnvmet.spi.backend.BackendSpec;

/** Logical block sizes a namespace may be configured with (BackendSpec.blockSize; 0 selects 512). */
final class BlockSizes {
    static final int DEFAULT = 512;

    private BlockSizes() {
    }

    /** log2 of the configured block size: 512 or 4096 bytes. */
    static int configuredShift(BackendSpec spec) throws IOException {
        int size = spec.blockSize() == 0 ? DEFAULT : spec.blockSize();
        if (size != 512 && size != 4096) {
            throw new IOException("device_path '" + spec.devicePath() + "': block size " + spec.blockSize()
                    + " is not supported (512 or 4096)");
        }
        return Integer.numberOfTrailingZeros(size);
    }
}
