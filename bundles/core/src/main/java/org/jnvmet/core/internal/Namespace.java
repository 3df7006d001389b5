package org.jnvmet.core.internal;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace of a subsystem. While active it is in its subsystem's lookup array and has an open backend. I/O
 * holds it through {@link #acquire()}/{@link #release()}: after deactivation the backend is closed when the last
 * in-flight command completes, like the Linux target's percpu ref on nvmet_ns.
 */
final class Namespace {
    private static final Logger LOG = LoggerFactory.getLogger(Namespace.class);

    final Subsystem subsystem;
    final int nsid;
    final String deviceName;
    volatile NamespaceSpec spec;
    /** device_uuid: the configured one or generated once at creation. */
    volatile UUID uuid;
    volatile byte[] nguid;

    // Backend state, changed under the engine's config lock.
    volatile BlockBackend backend;
    volatile BlockBackendFactory factory;
    volatile int blockShift;
    volatile long sizeBytes;
    volatile String reason = "disabled";

    /** Active: visible to hosts; acquire() fails once cleared. */
    private volatile boolean active;
    private final AtomicInteger inflight = new AtomicInteger();
    private BlockBackend closing;

    // SMART counters, counted by the core for every completed command.
    final LongAdder readCommands = new LongAdder();
    final LongAdder writeCommands = new LongAdder();
    final LongAdder sectorsRead = new LongAdder();
    final LongAdder sectorsWritten = new LongAdder();

    /** Accounting device of this namespace while an IoAccounting is bound. */
    volatile DeviceCounters counters;

    Namespace(Subsystem subsystem, NamespaceSpec spec) {
        this.subsystem = subsystem;
        this.nsid = spec.nsid();
        this.deviceName = "jnvmet!" + subsystem.nqn + "!ns" + Integer.toUnsignedString(spec.nsid());
        applyIdentity(spec);
    }

    void applyIdentity(NamespaceSpec newSpec) {
        this.spec = newSpec;
        if (newSpec.uuid() != null) {
            uuid = newSpec.uuid();
        } else if (uuid == null) {
            uuid = UUID.randomUUID();
        }
        nguid = newSpec.nguid() != null ? parseNguid(newSpec.nguid()) : uuidBytes(uuid);
    }

    static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    /** Parses 32 hex digits (dashes allowed, as configfs device_nguid accepts a UUID-like string). */
    static byte[] parseNguid(String text) {
        String hex = text.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("device_nguid must have 32 hex digits");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("device_nguid must have 32 hex digits");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    boolean isActive() {
        return active;
    }

    /** Namespace size in logical blocks. */
    long blocks() {
        return sizeBytes >>> blockShift;
    }

    /** Takes an I/O reference; false if the namespace went inactive. */
    boolean acquire() {
        inflight.incrementAndGet();
        if (active) {
            return true;
        }
        release();
        return false;
    }

    void release() {
        if (inflight.decrementAndGet() == 0 && !active) {
            closeIfIdle();
        }
    }

    /** Makes the namespace visible with an opened backend. Called under the config lock. */
    void activate(BlockBackend opened, BlockBackendFactory from) {
        this.backend = opened;
        this.factory = from;
        this.blockShift = opened.blockSizeShift();
        this.sizeBytes = opened.capacity();
        this.reason = null;
        // A backend still draining from an earlier deactivation is closed now rather than leaked.
        closeIfIdle();
        this.active = true;
    }

    /** Hides the namespace; its backend closes once no command holds it. Called under the config lock. */
    void deactivate(String why) {
        if (!active) {
            reason = why;
            return;
        }
        active = false;
        reason = why;
        synchronized (this) {
            closing = backend;
        }
        factory = null;
        if (inflight.get() == 0) {
            closeIfIdle();
        }
    }

    private void closeIfIdle() {
        BlockBackend toClose;
        synchronized (this) {
            toClose = closing;
            closing = null;
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (RuntimeException e) {
                LOG.warn("closing backend of {} failed", deviceName, e);
            }
        }
    }
}
