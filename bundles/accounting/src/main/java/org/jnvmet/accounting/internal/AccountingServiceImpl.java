package org.jnvmet.accounting.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.jnvmet.accounting.AccountingService;
import org.jnvmet.accounting.DeviceListener;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.LatencyHistogram;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.accounting.SessionStats;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.jnvmet.spi.accounting.IoAccounting;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounting service: a registry of {@link Device}s by name. The I/O path only touches a device's own
 * counters; creating and removing devices is rare and serialized, and listeners hear about it outside that lock,
 * in order, one event at a time.
 */
@Component(service = {AccountingService.class, IoAccounting.class}, immediate = true)
public final class AccountingServiceImpl implements AccountingService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountingServiceImpl.class);

    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Device> devices = new ConcurrentHashMap<>();
    /** Guards device creation/removal, {@link #nextMinor} and {@link #listeners}. */
    private final Object lock = new Object();
    private int nextMinor;
    private final List<DeviceListener> listeners = new ArrayList<>();
    /** Events are queued under {@link #lock}, so the queue order is the order of the changes. */
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivery = new ReentrantLock();

    /** DS and plain Java: time from {@link System#nanoTime()}. */
    public AccountingServiceImpl() {
        this(System::nanoTime);
    }

    /** With another monotonic nanosecond clock, e.g. a manual one in tests. */
    public AccountingServiceImpl(LongSupplier nanoClock) {
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public DeviceCounters device(String name) {
        Device d = devices.get(name);
        if (d != null) {
            return d;
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("device name is empty");
        }
        synchronized (lock) {
            d = devices.get(name);
            if (d != null) {
                return d;
            }
            d = new Device(name, nextMinor++, clock);
            devices.put(name, d);
            enqueue(name, true);
        }
        deliverEvents();
        return d;
    }

    @Override
    public void remove(String name) {
        synchronized (lock) {
            if (name == null || devices.remove(name) == null) {
                return;
            }
            enqueue(name, false);
        }
        deliverEvents();
    }

    @Override
    public Optional<DiskStats> snapshot(String device) {
        return find(device).map(Device::snapshot);
    }

    @Override
    public List<DiskStats> list() {
        List<Device> all = new ArrayList<>(devices.values());
        all.sort(Comparator.comparingInt(Device::minor));
        List<DiskStats> out = new ArrayList<>(all.size());
        for (Device d : all) {
            out.add(d.snapshot());
        }
        return out;
    }

    @Override
    public Map<Op, OpStats> opStats(String device) {
        return find(device).map(Device::opStats).orElse(Map.of());
    }

    @Override
    public List<SessionStats> sessions(String device) {
        return find(device).map(Device::sessions).orElse(List.of());
    }

    @Override
    public Optional<LatencyHistogram> histogram(String device, Op op) {
        Objects.requireNonNull(op, "op");
        return find(device).map(d -> d.histogram(op));
    }

    @Override
    public boolean reset(String device) {
        Optional<Device> d = find(device);
        d.ifPresent(Device::reset);
        return d.isPresent();
    }

    @Override
    public void resetAll() {
        devices.values().forEach(Device::reset);
    }

    @Override
    public void addListener(DeviceListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            listeners.add(listener);
            List<Device> existing = new ArrayList<>(devices.values());
            existing.sort(Comparator.comparingInt(Device::minor));
            events.add(() -> existing.forEach(d -> notify(listener, d.name(), true)));
        }
        deliverEvents();
    }

    @Override
    public void removeListener(DeviceListener listener) {
        synchronized (lock) {
            listeners.remove(listener);
        }
    }

    private Optional<Device> find(String device) {
        return device == null ? Optional.empty() : Optional.ofNullable(devices.get(device));
    }

    /** Called under {@link #lock}: the listeners of this moment get the event, later ones got a replay instead. */
    private void enqueue(String name, boolean added) {
        if (listeners.isEmpty()) {
            return;
        }
        List<DeviceListener> targets = List.copyOf(listeners);
        events.add(() -> targets.forEach(l -> notify(l, name, added)));
    }

    private void deliverEvents() {
        delivery.lock();
        try {
            Runnable event;
            while ((event = events.poll()) != null) {
                event.run();
            }
        } finally {
            delivery.unlock();
        }
    }

    private static void notify(DeviceListener listener, String name, boolean added) {
        try {
            if (added) {
                listener.deviceAdded(name);
            } else {
                listener.deviceRemoved(name);
            }
        } catch (RuntimeException e) {
            LOG.warn("Accounting listener {} failed on device {} {}", listener, added ? "added" : "removed", name, e);
        }
    }
}
