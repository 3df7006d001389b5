package org.jnvmet.core.it.passthru;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.IoAccounting;

/** An {@link IoAccounting} that counts exactly what the core reports, per device and operation. */
final class CountingAccounting implements IoAccounting {
    final Map<String, Device> devices = new ConcurrentHashMap<>();
    final Set<String> removed = ConcurrentHashMap.newKeySet();

    static final class Device implements DeviceCounters {
        final AtomicLongArray ios = new AtomicLongArray(Op.values().length);
        final AtomicLongArray sectors = new AtomicLongArray(Op.values().length);
        final AtomicLongArray errors = new AtomicLongArray(Op.values().length);
        final AtomicLongArray inFlight = new AtomicLongArray(Op.values().length);
        final Set<String> hosts = ConcurrentHashMap.newKeySet();

        @Override
        public long start(Op op) {
            inFlight.incrementAndGet(op.ordinal());
            return System.nanoTime();
        }

        @Override
        public void end(Op op, long sectorCount, long startNanos, boolean error, HostSession session) {
            inFlight.decrementAndGet(op.ordinal());
            ios.incrementAndGet(op.ordinal());
            sectors.addAndGet(op.ordinal(), sectorCount);
            if (error) {
                errors.incrementAndGet(op.ordinal());
            }
        }

        @Override
        public HostSession session(String hostNqn, int cntlid) {
            hosts.add(hostNqn);
            return new HostSession() {
            };
        }

        long ios(Op op) {
            return ios.get(op.ordinal());
        }

        long sectors(Op op) {
            return sectors.get(op.ordinal());
        }

        long errors(Op op) {
            return errors.get(op.ordinal());
        }

        long inFlight(Op op) {
            return inFlight.get(op.ordinal());
        }
    }

    @Override
    public DeviceCounters device(String name) {
        removed.remove(name);
        return devices.computeIfAbsent(name, n -> new Device());
    }

    @Override
    public void remove(String name) {
        devices.remove(name);
        removed.add(name);
    }

    Device get(String name) {
        Device d = devices.get(name);
        if (d == null) {
            throw new AssertionError("no accounting device " + name + " among " + devices.keySet());
        }
        return d;
    }
}
