package org.jnvmet.spi.passthru;

import java.io.IOException;

/**
 * Opens NVMe controllers of one kind, registered as a service with property {@value #DEVICE_PROPERTY}
 * ({@code "chardev"} for Linux character devices such as /dev/nvme0, {@code "emulated"} for jnvmet's RAM-backed
 * controller, {@code emulated:NAME}).
 */
public interface NvmeDeviceFactory {
    String DEVICE_PROPERTY = "jnvmet.device";

    /** The device kind this factory opens. */
    String kind();

    /** Whether this factory serves {@code devicePath} (by its form only; the device need not exist). */
    boolean accepts(String devicePath);

    /**
     * Opens the controller. Fails with an IOException whose message names {@code devicePath} when it does not exist,
     * is not an NVMe controller or cannot be opened.
     */
    NvmeDevice open(String devicePath) throws IOException;
}
