package org.jnvmet.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.LatencyHistogram;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.accounting.SessionStats;
import org.jnvmet.spi.accounting.DeviceCounters.Op;

/**
 * {@code nvmet:stats}: the accounting service's counters as tables, as /proc/diskstats text, per host and as latency
 * percentiles. A DEVICE argument is an accounting device name ({@code jnvmet!<nqn>!ns<nsid>}), a namespace path
 * ({@code subsystems/<nqn>/namespaces/<nsid>}), or a subsystem (its NQN or path: all its namespaces).
 */
public final class StatsReport {
    /** Prefix of the devices the core registers for namespaces: {@code jnvmet!<nqn>!ns<nsid>}. */
    public static final String NAMESPACE_DEVICE_PREFIX = "jnvmet!";
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private final AccountingService accounting;

    public StatsReport(AccountingService accounting) {
        this.accounting = Objects.requireNonNull(accounting, "accounting");
    }

    public static String namespaceDevice(String subsystemNqn, String nsid) {
        return NAMESPACE_DEVICE_PREFIX + subsystemNqn + "!ns" + nsid;
    }

    /** The devices {@code device} stands for, in /proc/diskstats order; all devices when null or empty. */
    public List<DiskStats> devices(String device) {
        List<DiskStats> all = accounting.list();
        if (device == null || device.isBlank()) {
            return all;
        }
        String d = device.trim();
        Set<String> names = new LinkedHashSet<>();
        String path = ConfigPaths.normalize(d);
        List<String> seg = ConfigPaths.segments(path);
        switch (ConfigPaths.classify(path)) {
            case NAMESPACE -> names.add(namespaceDevice(seg.get(1), seg.get(3)));
            case SUBSYSTEM -> names.addAll(subsystemDevices(all, seg.get(1)));
            default -> {
            }
        }
        if (d.startsWith("nqn.")) {
            names.addAll(subsystemDevices(all, d));
        }
        names.add(d);
        List<DiskStats> out = all.stream().filter(s -> names.contains(s.name())).toList();
        if (out.isEmpty()) {
            throw new ShellCommandException(d + ": no such device (nvmet:stats lists them)");
        }
        return out;
    }

    private static List<String> subsystemDevices(List<DiskStats> all, String nqn) {
        String prefix = NAMESPACE_DEVICE_PREFIX + nqn + "!ns";
        return all.stream().map(DiskStats::name).filter(n -> n.startsWith(prefix)).toList();
    }

    /** One row per device: I/Os, KiB and time per direction, discards, flushes, in flight, busy time, errors. */
    public Table table(String device) {
        Table t = Table.of(Table.left("Device"), Table.right("Reads"), Table.right("Read KiB"),
                Table.right("Read ms"), Table.right("Writes"), Table.right("Write KiB"), Table.right("Write ms"),
                Table.right("Discards"), Table.right("Flushes"), Table.right("In flight"), Table.right("Busy ms"),
                Table.right("Errors"));
        for (DiskStats s : devices(device)) {
            long errors = accounting.opStats(s.name()).values().stream().mapToLong(OpStats::errors).sum();
            t.addRow(s.name(), s.readsCompleted(), s.sectorsRead() / 2, s.readTimeMs(), s.writesCompleted(),
                    s.sectorsWritten() / 2, s.writeTimeMs(), s.discardsCompleted(), s.flushesCompleted(),
                    s.iosInProgress(), s.ioTimeMs(), errors);
        }
        return t;
    }

    /** The devices' /proc/diskstats lines. */
    public String diskstats(String device) {
        StringBuilder text = new StringBuilder();
        for (DiskStats s : devices(device)) {
            s.appendDiskstatsLine(text);
            text.append('\n');
        }
        return text.toString();
    }

    /** I/O per host NQN (folded over its controllers), or per controller with {@code perController}. */
    public Table hosts(String device, boolean perController) {
        List<Table.Column> cols = new ArrayList<>(List.of(Table.left("Device"), Table.left("Host NQN")));
        if (perController) {
            cols.add(Table.right("Cntlid"));
        }
        cols.addAll(List.of(Table.right("Reads"), Table.right("Read KiB"), Table.right("Writes"),
                Table.right("Write KiB"), Table.right("Discards"), Table.right("Flushes"), Table.right("Errors")));
        Table t = Table.of(cols.toArray(Table.Column[]::new));
        for (DiskStats s : devices(device)) {
            List<SessionStats> sessions = accounting.sessions(s.name());
            for (SessionStats h : perController ? sessions : SessionStats.byHost(sessions)) {
                List<Object> row = new ArrayList<>(List.of(s.name(), h.hostNqn()));
                if (perController) {
                    row.add(h.cntlid());
                }
                long errors = h.read().errors() + h.write().errors() + h.discard().errors() + h.flush().errors();
                row.addAll(List.of(h.read().ios(), h.read().sectors() / 2, h.write().ios(), h.write().sectors() / 2,
                        h.discard().ios(), h.flush().ios(), errors));
                t.addRow(row.toArray());
            }
        }
        return t;
    }

    /** Completion latency percentiles in microseconds, one row per device and operation kind that saw I/O. */
    public Table latency(String device) {
        Table t = Table.of(Table.left("Device"), Table.left("Op"), Table.right("I/Os"), Table.right("p50 us"),
                Table.right("p90 us"), Table.right("p99 us"), Table.right("p99.9 us"));
        for (DiskStats s : devices(device)) {
            for (Op op : Op.values()) {
                LatencyHistogram h = accounting.histogram(s.name(), op).orElse(null);
                if (h == null || h.total() == 0) {
                    continue;
                }
                Object[] row = new Object[3 + PERCENTILES.length];
                row[0] = s.name();
                row[1] = op.name().toLowerCase(Locale.ROOT);
                row[2] = h.total();
                for (int i = 0; i < PERCENTILES.length; i++) {
                    row[3 + i] = String.format(Locale.ROOT, "%.1f", h.percentileMicros(PERCENTILES[i]));
                }
                t.addRow(row);
            }
        }
        return t;
    }

    /**
     * The report {@code nvmet:stats} prints: the device table unless only other views are asked for, then
     * diskstats text, per-host and latency tables as requested.
     */
    public Output report(String device, boolean diskstats, boolean hosts, boolean perController, boolean latency) {
        List<Output> parts = new ArrayList<>();
        boolean hostView = hosts || perController;
        if (!diskstats && !hostView && !latency) {
            parts.add(Output.table(table(device)));
        }
        if (diskstats) {
            parts.add(Output.text(diskstats(device)));
        }
        if (hostView) {
            parts.add(new Output.Tabular(perController ? "Per controller:" : "Per host:", hosts(device,
                    perController)));
        }
        if (latency) {
            parts.add(new Output.Tabular("Completion latency:", latency(device)));
        }
        return parts.size() == 1 ? parts.get(0) : new Output.Sections(parts);
    }

    /** Zeroes the counters of the devices {@code device} stands for (all when null or empty). */
    public Output reset(String device) {
        List<DiskStats> devices = devices(device);
        devices.forEach(s -> accounting.reset(s.name()));
        return Output.text("reset " + devices.size() + " device" + (devices.size() == 1 ? "" : "s"));
    }
}
