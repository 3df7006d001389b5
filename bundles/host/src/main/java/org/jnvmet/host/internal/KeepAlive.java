package org.jnvmet.host.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Keep Alive on the admin queue every KATO/2, as the Linux host does, without waiting for completions and
 * skipping a beat when the admin queue is full.
 */
final class KeepAlive {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

    private final ControllerImpl controller;
    private final Supplier<ScheduledExecutorService> timer;
    private ScheduledFuture<?> task;

    KeepAlive(ControllerImpl controller, Supplier<ScheduledExecutorService> timer) {
        this.controller = controller;
        this.timer = timer;
    }

    synchronized void start(int katoMillis) {
        if (katoMillis <= 0 || task != null) {
            return;
        }
        long period = Math.max(1, katoMillis / 2);
        task = timer.get().scheduleAtFixedRate(this::send, period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    synchronized boolean isRunning() {
        return task != null;
    }

    private void send() {
        QueueChannel admin = controller.adminChannel();
        if (admin == null || !admin.isOpen()) {
            return;
        }
        CommandSlot slot = admin.tryAcquire();
        if (slot == null) {
            LOG.debug("admin queue full, keep-alive skipped for {}", controller);
            return;
        }
        Commands.fillHeader(slot.sqe, org.jnvmet.protocol.nvme.AdminOpcode.KEEP_ALIVE, 0);
        CompletableFuture<Completion> f = admin.dispatch(slot, null, null, false, null, 0);
        f.whenComplete((c, e) -> {
            if (e != null) {
                LOG.debug("keep-alive failed for {}", controller, e);
            } else if (!c.isSuccess()) {
                LOG.warn("keep-alive rejected by {}: {}", controller, c);
            }
        });
    }
}
