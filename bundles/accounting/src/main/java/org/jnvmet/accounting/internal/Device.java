package org.jnvmet.accounting.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.LatencyHistogram;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.accounting.SessionStats;
import org.jnvmet.spi.accounting.DeviceCounters;

/**
 * Counters of one device with the kernel's /proc/diskstats semantics (block/blk-core.c, block/genhd.c): the I/O,
 * sector and time totals are added at completion, the in-flight count between start and end, and io_ticks follows
 * update_io_ticks() — a CAS on the last-update stamp hands the time since the stamp to exactly one updater, who
 * counts it if an I/O was in flight throughout (always so at an I/O's end; at a start only if others are in flight).
 */
final class Device implements DeviceCounters {
    private static final int OPS = Op.values().length;
    /** NVMe controller IDs are 16-bit (NVMe Base 2.0, Identify Controller CNTLID). */
    private static final int MAX_CNTLID = 0xFFFF;

    private final String name;
    private final int minor;
    private final LongSupplier clock;
    private final OpCounters[] ops = newOpCounters();
    private final LatencyRecorder[] latencies = new LatencyRecorder[OPS];
    private final LongAdder inFlight = new LongAdder();
    /** Nanoseconds with at least one I/O in flight; the kernel keeps jiffies, nanoseconds make it exact. */
    private final LongAdder ioTicks = new LongAdder();
    /** The kernel's bd_stamp: when io_ticks was last brought up to date. */
    private final AtomicLong stamp;
    private final ConcurrentHashMap<SessionKey, SessionCounters> sessions = new ConcurrentHashMap<>();

    private record SessionKey(String hostNqn, int cntlid) {
    }

    Device(String name, int minor, LongSupplier clock) {
        this.name = name;
        this.minor = minor;
        this.clock = clock;
        for (int i = 0; i < OPS; i++) {
            latencies[i] = new LatencyRecorder();
        }
        this.stamp = new AtomicLong(clock.getAsLong());
    }

    static OpCounters[] newOpCounters() {
        OpCounters[] counters = new OpCounters[OPS];
        for (int i = 0; i < OPS; i++) {
            counters[i] = new OpCounters();
        }
        return counters;
    }

    String name() {
        return name;
    }

    int minor() {
        return minor;
    }

    @Override
    public long start(Op op) {
        long now = clock.getAsLong();
        // As bdev_start_io_acct: account the time since the stamp before this I/O counts as in flight, so an idle
        // gap ending here is not counted.
        updateIoTicks(now, false);
        inFlight.increment();
        return now;
    }

    @Override
    public void end(Op op, long sectors, long startNanos, boolean error, HostSession session) {
        long now = clock.getAsLong();
        long duration = Math.max(0, now - startNanos);
        updateIoTicks(now, true);
        int i = op.ordinal();
        ops[i].record(sectors, duration, error);
        latencies[i].record(duration);
        if (session instanceof SessionCounters s && s.owner == this) {
            s.record(i, sectors, duration, error);
        }
        inFlight.decrement();
    }

    /**
     * update_io_ticks(): whoever moves the stamp forward owns the interval since the old stamp. Unlike the kernel
     * (jiffy resolution, where a lost CAS means the winner took the same jiffy), a lost CAS is retried so no
     * nanoseconds are dropped under contention.
     */
    private void updateIoTicks(long now, boolean end) {
        long last = stamp.get();
        while (now - last > 0) { // time_after(now, stamp), safe across nanoTime wrap
            if (stamp.compareAndSet(last, now)) {
                if (end || inFlight.sum() > 0) {
                    ioTicks.add(now - last);
                }
                return;
            }
            last = stamp.get();
        }
    }

    @Override
    public HostSession session(String hostNqn, int cntlid) {
        Objects.requireNonNull(hostNqn, "hostNqn");
        if (cntlid < 0 || cntlid > MAX_CNTLID) {
            throw new IllegalArgumentException("cntlid out of range: " + cntlid);
        }
        SessionKey key = new SessionKey(hostNqn, cntlid);
        SessionCounters s = sessions.get(key);
        return s != null ? s : sessions.computeIfAbsent(key, k -> new SessionCounters(this, k.hostNqn, k.cntlid));
    }

    /** As diskstats_show: with I/O in flight, io_ticks is first brought up to now. */
    DiskStats snapshot() {
        long inflight = Math.max(0, inFlight.sum());
        if (inflight > 0) {
            updateIoTicks(clock.getAsLong(), true);
        }
        OpStats r = ops[Op.READ.ordinal()].snapshot();
        OpStats w = ops[Op.WRITE.ordinal()].snapshot();
        OpStats d = ops[Op.DISCARD.ordinal()].snapshot();
        OpStats f = ops[Op.FLUSH.ordinal()].snapshot();
        long weightedNanos = r.nanos() + w.nanos() + d.nanos() + f.nanos();
        return new DiskStats(0, minor, name,
                r.ios(), 0, r.sectors(), r.millis(),
                w.ios(), 0, w.sectors(), w.millis(),
                inflight, ioTicks.sum() / 1_000_000L, weightedNanos / 1_000_000L,
                d.ios(), 0, d.sectors(), d.millis(),
                f.ios(), f.millis());
    }

    Map<Op, OpStats> opStats() {
        Map<Op, OpStats> m = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            m.put(op, ops[op.ordinal()].snapshot());
        }
        return m;
    }

    LatencyHistogram histogram(Op op) {
        return latencies[op.ordinal()].snapshot(op);
    }

    List<SessionStats> sessions() {
        List<SessionStats> list = new ArrayList<>(sessions.size());
        for (SessionCounters s : sessions.values()) {
            list.add(s.snapshot());
        }
        list.sort(Comparator.comparing(SessionStats::hostNqn).thenComparingInt(SessionStats::cntlid));
        return list;
    }

    /** Zeroes the totals; the in-flight count stays, and io_ticks restarts from now. */
    void reset() {
        long now = clock.getAsLong();
        long last = stamp.get();
        while (now - last > 0 && !stamp.compareAndSet(last, now)) {
            last = stamp.get();
        }
        ioTicks.reset();
        for (int i = 0; i < OPS; i++) {
            ops[i].reset();
            latencies[i].reset();
        }
        sessions.values().forEach(SessionCounters::reset);
    }

    @Override
    public String toString() {
        return "DeviceCounters[" + name + ", minor " + minor + "]";
    }
}
