package org.jnvmet.spi.passthru;

/** Receives {@link DeviceEvent}s of an {@link NvmeDevice}, on a device thread; must not block. */
@FunctionalInterface
public interface DeviceEventListener {
    void onEvent(NvmeDevice device, DeviceEvent event);
}
