package org.jnvmet.shell.gogo.internal;

import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.model.ModelStore;
import org.jnvmet.shell.ConfigCommands;
import org.jnvmet.shell.ConfigFiles;
import org.jnvmet.shell.ConfigTree;
import org.jnvmet.shell.ConnectionsReport;
import org.jnvmet.shell.Output;
import org.jnvmet.shell.ShellCommandException;
import org.jnvmet.shell.StatsReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code nvmet} Gogo commands whose names are Java identifiers; Gogo finds a function's method by name
 * ({@code import} is a keyword, hence {@link #_import}). {@code allow-host} and {@code disallow-host} are
 * {@link HostAccessFunction}s. Each method returns the text Gogo prints; refusals are thrown with the model's message.
 */
// Registered as a plain Object: Gogo finds commands by the osgi.command.* properties, and this class is private.
@Component(service = Object.class, property = {
    "osgi.command.scope=nvmet",
    "osgi.command.function=ls", "osgi.command.function=get", "osgi.command.function=set",
    "osgi.command.function=create", "osgi.command.function=delete", "osgi.command.function=link",
    "osgi.command.function=unlink", "osgi.command.function=enable", "osgi.command.function=disable",
    "osgi.command.function=save", "osgi.command.function=restore", "osgi.command.function=import",
    "osgi.command.function=export", "osgi.command.function=stats", "osgi.command.function=connections"})
public final class NvmetGogoCommands {
    private final ModelStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccountingService accounting;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NvmeTarget target;

    @Activate
    public NvmetGogoCommands(@Reference(name = "store") ModelStore store) {
        this.store = store;
    }

    /** Plain Java; {@code accounting} and {@code target} may be null. */
    public NvmetGogoCommands(ModelStore store, AccountingService accounting, NvmeTarget target) {
        this(store);
        this.accounting = accounting;
        this.target = target;
    }

    private ConfigCommands config() {
        return new ConfigCommands(store, target);
    }

    @Descriptor("Shows the whole target configuration as a tree, like nvmetcli ls")
    public String ls() {
        return ls(null);
    }

    @Descriptor("Shows the configuration below a path as a tree, like nvmetcli ls")
    public String ls(@Descriptor("object or group, e.g. subsystems/<nqn>") String path) {
        return Output.render(config().ls(path, ConfigTree.DEFAULT_WIDTH));
    }

    @Descriptor("Shows all attributes of an object, or an attribute's value")
    public String get(@Descriptor("object (ports/1) or attribute path (ports/1/addr_traddr)") String path) {
        return get(path, null);
    }

    @Descriptor("Shows an attribute's value")
    public String get(@Descriptor("object, e.g. subsystems/<nqn>") String path,
            @Descriptor("attribute, e.g. attr_serial") String attr) {
        return Output.render(config().get(path, attr));
    }

    @Descriptor("Sets an attribute; a refused value names the field and changes nothing")
    public String set(@Descriptor("object, e.g. subsystems/<nqn>/namespaces/1") String path,
            @Descriptor("attribute, e.g. device_path") String attr, @Descriptor("new value") String value) {
        return Output.render(config().set(path, attr, value));
    }

    @Descriptor("Creates a host, subsystem, namespace, port, referral or ANA group")
    public String create(@Descriptor("path of the new object, e.g. subsystems/<nqn>/namespaces/1") String path) {
        return Output.render(config().create(path));
    }

    @Descriptor("Deletes an object with everything it owns (refused while linked)")
    public String delete(@Descriptor("object to delete, e.g. ports/2") String path) {
        return Output.render(config().delete(path));
    }

    @Descriptor("Exports a subsystem on a port")
    public String link(@Descriptor("port id") String port, @Descriptor("subsystem NQN") String subsystem) {
        return Output.render(config().link(port, subsystem));
    }

    @Descriptor("Stops exporting a subsystem on a port")
    public String unlink(@Descriptor("port id") String port, @Descriptor("subsystem NQN") String subsystem) {
        return Output.render(config().unlink(port, subsystem));
    }

    @Descriptor("Enables a namespace, a subsystem's passthru or a referral")
    public String enable(@Descriptor("namespace, passthru or referral path") String path) {
        return Output.render(config().enable(path, true));
    }

    @Descriptor("Disables a namespace, a subsystem's passthru or a referral")
    public String disable(@Descriptor("namespace, passthru or referral path") String path) {
        return Output.render(config().enable(path, false));
    }

    @Descriptor("Saves the running configuration as nvmetcli JSON to nvmet-saved.json")
    public String save(CommandSession session) {
        return Output.render(new ConfigFiles(store).save(null));
    }

    @Descriptor("Saves the running configuration as nvmetcli JSON")
    public String save(CommandSession session, @Descriptor("file to write") String file) {
        return Output.render(new ConfigFiles(store).save(file(session, file)));
    }

    @Descriptor("Replaces the whole configuration with the one nvmet:save wrote")
    public String restore(CommandSession session) {
        return Output.render(new ConfigFiles(store).restore(null));
    }

    @Descriptor("Replaces the whole configuration with an nvmetcli JSON file")
    public String restore(CommandSession session, @Descriptor("nvmetcli JSON file") String file) {
        return Output.render(new ConfigFiles(store).restore(file(session, file)));
    }

    @Descriptor("Merges the hosts, subsystems and ports of an nvmetcli JSON file into the configuration")
    public String _import(CommandSession session, @Descriptor("nvmetcli JSON file") String file) {
        return Output.render(new ConfigFiles(store).importFile(file(session, file)));
    }

    @Descriptor("Writes the running configuration as nvmetcli JSON (- prints it)")
    public String export(CommandSession session,
            @Descriptor("overwrite an existing file") @Parameter(names = {"-f", "--force"}, presentValue = "true",
                    absentValue = "false") boolean force,
            @Descriptor("file to write, or -") String file) {
        ConfigFiles files = new ConfigFiles(store);
        return Output.render("-".equals(file) ? files.exportText() : files.export(file(session, file), force));
    }

    @Descriptor("Shows block I/O statistics of every device")
    public String stats(
            @Descriptor("/proc/diskstats lines") @Parameter(names = {"-d", "--diskstats"}, presentValue = "true",
                    absentValue = "false") boolean diskstats,
            @Descriptor("per host NQN") @Parameter(names = {"-H", "--hosts"}, presentValue = "true",
                    absentValue = "false") boolean hosts,
            @Descriptor("per host and controller") @Parameter(names = {"-c", "--controllers"},
                    presentValue = "true", absentValue = "false") boolean controllers,
            @Descriptor("latency percentiles") @Parameter(names = {"-l", "--latency"}, presentValue = "true",
                    absentValue = "false") boolean latency,
            @Descriptor("zero the counters") @Parameter(names = {"--reset"}, presentValue = "true",
                    absentValue = "false") boolean reset) {
        return stats(diskstats, hosts, controllers, latency, reset, null);
    }

    @Descriptor("Shows block I/O statistics of a device, namespace path or subsystem")
    public String stats(
            @Descriptor("/proc/diskstats lines") @Parameter(names = {"-d", "--diskstats"}, presentValue = "true",
                    absentValue = "false") boolean diskstats,
            @Descriptor("per host NQN") @Parameter(names = {"-H", "--hosts"}, presentValue = "true",
                    absentValue = "false") boolean hosts,
            @Descriptor("per host and controller") @Parameter(names = {"-c", "--controllers"},
                    presentValue = "true", absentValue = "false") boolean controllers,
            @Descriptor("latency percentiles") @Parameter(names = {"-l", "--latency"}, presentValue = "true",
                    absentValue = "false") boolean latency,
            @Descriptor("zero the counters") @Parameter(names = {"--reset"}, presentValue = "true",
                    absentValue = "false") boolean reset,
            @Descriptor("device name, namespace path or subsystem NQN") String device) {
        AccountingService a = accounting;
        if (a == null) {
            throw new ShellCommandException("the jnvmet accounting service is not running");
        }
        StatsReport stats = new StatsReport(a);
        return Output.render(reset ? stats.reset(device) : stats.report(device, diskstats, hosts, controllers,
                latency));
    }

    @Descriptor("Lists the connected controllers")
    public String connections(
            @Descriptor("also show host identifiers") @Parameter(names = {"-v", "--verbose"}, presentValue = "true",
                    absentValue = "false") boolean verbose) {
        return connections(verbose, null);
    }

    @Descriptor("Lists the controllers connected to one subsystem")
    public String connections(
            @Descriptor("also show host identifiers") @Parameter(names = {"-v", "--verbose"}, presentValue = "true",
                    absentValue = "false") boolean verbose,
            @Descriptor("subsystem NQN") String subsystem) {
        NvmeTarget t = target;
        if (t == null) {
            throw new ShellCommandException("the jnvmet target is not running");
        }
        return Output.render(new ConnectionsReport(t).report(subsystem, verbose));
    }

    /** Relative to the Gogo session's current directory. */
    static Path file(CommandSession session, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute() || session == null || session.currentDir() == null) {
            return p;
        }
        return session.currentDir().resolve(p);
    }
}
