package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import org.jnvmet.backend.passthru.internal.EventListeners;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.DeviceEventListener;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.QueueLimits;

/** One open handle on an {@link EmulatedNvmeController}. */
final class EmulatedDevice implements NvmeDevice {
    static final String PREFIX = "emulated:";

    private final EmulatedNvmeController ctrl;
    private final String devicePath;
    private final EventListeners listeners = new EventListeners();
    private volatile boolean closed;

    EmulatedDevice(EmulatedNvmeController ctrl, String devicePath) {
        this.ctrl = ctrl;
        this.devicePath = devicePath;
    }

    @Override
    public String devicePath() {
        return devicePath;
    }

    @Override
    public String name() {
        return PREFIX + ctrl.name();
    }

    @Override
    public int instance() {
        return -1;
    }

    @Override
    public int version() {
        return ctrl.config().version();
    }

    @Override
    public boolean multipleCommandSets() {
        return ctrl.config().multipleCommandSets();
    }

    @Override
    public QueueLimits queueLimits() {
        return ctrl.config().queueLimits();
    }

    @Override
    public void submitAdmin(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        ctrl.submit(this, true, sqe, data, length, timeoutMs, completion);
    }

    @Override
    public void submitIo(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        ctrl.submit(this, false, sqe, data, length, timeoutMs, completion);
    }

    @Override
    public void addEventListener(DeviceEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeEventListener(DeviceEventListener listener) {
        listeners.remove(listener);
    }

    void fire(DeviceEvent event) {
        if (!closed) {
            listeners.fire(this, event);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isRemoved() {
        return ctrl.isRemoved();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            listeners.clear();
            ctrl.closed(this);
        }
    }

    @Override
    public String toString() {
        return name() + " (" + devicePath + ")";
    }
}
