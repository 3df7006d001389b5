package org.jnvmet.shell.karaf.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.shell.Output;
import org.jnvmet.shell.StatsReport;

@Service
@Command(scope = "nvmet", name = "stats", description = "Shows block I/O statistics of the namespaces' devices",
        detailedDescription = "A table of I/Os, KiB and milliseconds per direction, discards, flushes, I/Os in "
                + "flight, busy time and errors. DEVICE is a device name (jnvmet!<nqn>!ns<nsid>), a namespace path "
                + "(subsystems/<nqn>/namespaces/<nsid>) or a subsystem NQN (all its namespaces).")
public class StatsCommand extends NvmetAction {
    @Argument(index = 0, name = "device", required = false, description = "Device, namespace path or subsystem NQN "
            + "(default: all devices)")
    @Completion(DeviceCompleter.class)
    String device;

    @Option(name = "-d", aliases = "--diskstats", description = "Print the counters as /proc/diskstats lines")
    boolean diskstats;

    @Option(name = "-H", aliases = "--hosts", description = "Break the I/O down per host NQN")
    boolean hosts;

    @Option(name = "-c", aliases = "--controllers", description = "Break the I/O down per host and controller id")
    boolean controllers;

    @Option(name = "-l", aliases = "--latency", description = "Completion latency percentiles (p50, p90, p99, "
            + "p99.9) per operation")
    boolean latency;

    @Option(name = "--reset", description = "Zero the counters of the device(s) instead of printing them")
    boolean reset;

    @Reference(optional = true)
    AccountingService accounting;

    @Override
    Output run() {
        StatsReport stats = new StatsReport(require(accounting, "the jnvmet accounting service"));
        return reset ? stats.reset(device) : stats.report(device, diskstats, hosts, controllers, latency);
    }
}
