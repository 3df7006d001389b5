package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnvmet.core.internal.passthru.PassthruCapabilities;
import org.jnvmet.core.internal.passthru.PassthruForwarder;
import org.jnvmet.core.internal.passthru.PassthruPolicy;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.jnvmet.spi.passthru.DeviceEventListener;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A passthru subsystem's open controller and what the target derived from it (Linux: {@code subsys->passthru_ctrl}
 * with the VS and MDTS overrides). Lives from enable to disable; controllers created meanwhile keep a reference to
 * it, and are deleted when it goes. Device events arrive here on a device thread and become AENs on the
 * subsystem's controllers.
 */
final class PassthruBinding implements DeviceEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(PassthruBinding.class);
    /** How long enabling waits for the device to list its namespaces (for accounting) before going on without. */
    static final long NAMESPACE_SCAN_WAIT_MS = 5000;

    /**
     * What the subsystem's passthru settings decide, replaced as a whole when they change while enabled (timeouts,
     * clear_ids, allowlist apply to commands parsed afterwards).
     */
    record Settings(PassthruSpec spec, PassthruPolicy policy, PassthruForwarder forwarder) {
    }

    final Subsystem subsystem;
    final NvmeDevice device;
    final NvmeDeviceFactory factory;
    /** VS and Identify VER: the device's, at least 1.2.1. */
    final int version;
    /** Identify MDTS and the transfer bound derived from the device's queue limits. */
    final int mdts;
    final long maxTransferBytes;
    final PassthruNamespaces namespaces;
    private volatile Settings settings;
    private volatile boolean removed;

    PassthruBinding(Subsystem subsystem, NvmeDevice device, NvmeDeviceFactory factory, PassthruSpec spec) {
        this.subsystem = subsystem;
        this.device = device;
        this.factory = factory;
        this.version = PassthruCapabilities.version(device.version());
        this.mdts = Math.min(PassthruCapabilities.mdts(device.queueLimits(), 0), PassthruCapabilities.MAX_MDTS);
        this.maxTransferBytes = PassthruCapabilities.maxTransferBytes(mdts);
        this.namespaces = new PassthruNamespaces(device.name());
        this.settings = settingsFor(spec);
    }

    private Settings settingsFor(PassthruSpec spec) {
        return new Settings(spec, PassthruPolicy.of(spec),
                new PassthruForwarder(device, spec, ByteBufAllocator.DEFAULT));
    }

    Settings settings() {
        return settings;
    }

    /** New timeouts, clear_ids or allowlist for the same device. */
    void update(PassthruSpec spec) {
        settings = settingsFor(spec);
    }

    /** The controller went away: commands now fail without reaching it. */
    boolean removed() {
        return removed || device.isRemoved();
    }

    /** Starts listening for events and learns the namespaces; called once, under the config lock. */
    void start(IoAccounting accounting) {
        namespaces.bind(accounting);
        device.addEventListener(this);
        CompletableFuture<Void> scan = scanNamespaces();
        try {
            scan.get(NAMESPACE_SCAN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("passthru {}: cannot list the namespaces of {} ({}); their I/O is not accounted until a "
                    + "namespace change event", subsystem.nqn, device.name(), e.toString());
        }
    }

    /** Stops listening, releases the device and the accounting devices. */
    void close() {
        device.removeEventListener(this);
        try {
            device.close();
        } catch (RuntimeException e) {
            LOG.warn("closing passthru controller {} failed", device.name(), e);
        }
        namespaces.clear();
    }

    /**
     * Identify active namespace list (CNS 02h) on the device, without blocking: the answer updates the accounting
     * table on the device's thread.
     */
    CompletableFuture<Void> scanNamespaces() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE).writeZero(
                SubmissionQueueEntry.SIZE);
        IdentifyCommand.set(sqe, IdentifyCns.ACTIVE_NAMESPACE_LIST, 0, 0);
        ByteBuf list = Unpooled.buffer(NamespaceIdList.SIZE, NamespaceIdList.SIZE);
        device.submitAdmin(sqe, list, NamespaceIdList.SIZE, settings.spec().adminTimeoutMs(), (status, result) -> {
            if (status != Status.SUCCESS || list.readableBytes() < NamespaceIdList.SIZE) {
                done.completeExceptionally(new IllegalStateException("Identify active namespace list failed: "
                        + (status < 0 ? "errno " + -status : Status.toString(status))));
                return;
            }
            int n = NamespaceIdList.count(list);
            int[] nsids = new int[n];
            for (int i = 0; i < n; i++) {
                nsids[i] = NamespaceIdList.get(list, i);
            }
            namespaces.update(nsids);
            done.complete(null);
        });
        return done;
    }

    @Override
    public void onEvent(NvmeDevice source, DeviceEvent event) {
        switch (event.kind()) {
            case REMOVED -> {
                removed = true;
                LOG.warn("passthru subsystem {}: controller {} removed; its commands fail until passthru is "
                        + "re-enabled", subsystem.nqn, device.name());
            }
            case NAMESPACE_ATTRIBUTE_CHANGED -> {
                scanNamespaces();
                notifyControllers(event);
            }
            case SMART_CRITICAL_WARNING -> notifyControllers(event);
        }
    }

    private void notifyControllers(DeviceEvent event) {
        for (Controller c : subsystem.controllers) {
            if (c.passthru == this) {
                c.passthruEvent(event);
            }
        }
    }

    @Override
    public String toString() {
        return device.name() + " for " + subsystem.nqn;
    }
}
