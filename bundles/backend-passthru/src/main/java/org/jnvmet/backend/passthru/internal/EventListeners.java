package org.jnvmet.backend.passthru.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.DeviceEventListener;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event listeners of one device handle; a failing listener is logged and does not stop the others. */
public final class EventListeners {
    private static final Logger LOG = LoggerFactory.getLogger(EventListeners.class);
    private final List<DeviceEventListener> listeners = new CopyOnWriteArrayList<>();

    public void add(DeviceEventListener listener) {
        listeners.add(listener);
    }

    public void remove(DeviceEventListener listener) {
        listeners.remove(listener);
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    public void clear() {
        listeners.clear();
    }

    public void fire(NvmeDevice device, DeviceEvent event) {
        for (DeviceEventListener l : listeners) {
            try {
                l.onEvent(device, event);
            } catch (RuntimeException e) {
                LOG.warn("device event listener failed on {} for {}", device.name(), event, e);
            }
        }
    }
}
