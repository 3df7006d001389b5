package org.jnvmet.shell;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortStatus;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.ModelStore;

/**
 * {@code nvmet:ls}, {@code get}, {@code set}, {@code create}, {@code delete}, {@code link}, {@code unlink},
 * {@code allow-host}, {@code disallow-host}, {@code enable} and {@code disable}. Each change is one model transaction:
 * a refusal throws the model's {@link org.jnvmet.api.TargetConfigException} (its message names the path and field)
 * and the previous configuration stays in force.
 */
public final class ConfigCommands {
    private final ModelStore store;
    private final NvmeTarget target;

    /**
     * @param target the running target, for the ports' listening state in {@code ls}; may be null
     */
    public ConfigCommands(ModelStore store, NvmeTarget target) {
        this.store = Objects.requireNonNull(store, "store");
        this.target = target;
    }

    /** The tree below {@code path} (the root when null or empty). */
    public Output ls(String path, int width) {
        return Output.text(ConfigTree.render(store.snapshot(), path, portStatus(), width));
    }

    private Map<Integer, PortStatus> portStatus() {
        if (target == null) {
            return Map.of();
        }
        return target.portStatus().stream()
                .collect(Collectors.toMap(PortStatus::portId, Function.identity(), (a, b) -> a));
    }

    /**
     * One attribute's value ({@code get PATH ATTR}, or {@code get PATH} when PATH names an attribute), else the table
     * of the object's attributes.
     */
    public Output get(String path, String attr) {
        String p = ConfigPaths.normalize(path);
        if (attr != null && !attr.isEmpty()) {
            return Output.text(store.get(ConfigPaths.join(p, attr)));
        }
        ModelSnapshot snapshot = store.snapshot();
        if (!p.isEmpty() && !ConfigPaths.isObject(snapshot, p)
                && ConfigPaths.classify(p) == ConfigPaths.Kind.ATTRIBUTE) {
            return Output.text(snapshot.get(p));
        }
        Table table = Table.of(Table.left("Attribute"), Table.left("Value"));
        snapshot.attributes(p).forEach(table::addRow);
        return Output.table(table);
    }

    /** Sets one attribute and shows the value now in force (the model may canonicalize it, e.g. hex digits). */
    public Output set(String path, String attr, String value) {
        requireArgument("ATTR", attr);
        Objects.requireNonNull(value, "value");
        String p = ConfigPaths.join(path, attr);
        store.set(p, value);
        return Output.text(p + " = " + store.get(p));
    }

    public Output create(String path) {
        String p = requireArgument("PATH", ConfigPaths.normalize(path));
        store.create(p);
        return Output.text("created " + p);
    }

    public Output delete(String path) {
        String p = requireArgument("PATH", ConfigPaths.normalize(path));
        store.delete(p);
        return Output.text("deleted " + p);
    }

    /** Exports a subsystem on a port ({@code ports/<port>/subsystems/<nqn>}). */
    public Output link(String port, String subsystemNqn) {
        String p = portLink(port, subsystemNqn);
        store.link(p);
        return Output.text("linked " + p);
    }

    public Output unlink(String port, String subsystemNqn) {
        String p = portLink(port, subsystemNqn);
        store.unlink(p);
        return Output.text("unlinked " + p);
    }

    private static String portLink(String port, String subsystemNqn) {
        requireArgument("PORT", port);
        requireArgument("SUBSYS", subsystemNqn);
        return ConfigPaths.port(port.trim()) + "/" + ConfigPaths.SUBSYSTEMS + "/" + subsystemNqn.trim();
    }

    /**
     * Lets a host connect to a subsystem: links {@code subsystems/<nqn>/allowed_hosts/<host>}, creating
     * {@code hosts/<host>} in the same transaction when it does not exist yet.
     */
    public Output allowHost(String subsystemNqn, String hostNqn) {
        String link = hostLink(subsystemNqn, hostNqn);
        String host = ConfigPaths.host(hostNqn.trim());
        boolean[] created = {false};
        store.edit(e -> {
            if (!e.exists(host)) {
                e.create(host);
                created[0] = true;
            }
            e.link(link);
        });
        return Output.text("linked " + link + (created[0] ? " (created " + host + ")" : ""));
    }

    /** Unlinks the host from the subsystem; {@code hosts/<host>} stays for other subsystems. */
    public Output disallowHost(String subsystemNqn, String hostNqn) {
        String link = hostLink(subsystemNqn, hostNqn);
        store.unlink(link);
        return Output.text("unlinked " + link);
    }

    private static String hostLink(String subsystemNqn, String hostNqn) {
        requireArgument("SUBSYS", subsystemNqn);
        requireArgument("HOST", hostNqn);
        return ConfigPaths.subsystem(subsystemNqn.trim()) + "/" + ConfigPaths.ALLOWED_HOSTS + "/" + hostNqn.trim();
    }

    /** Sets {@code enable} of a namespace, a subsystem's passthru or a referral. */
    public Output enable(String path, boolean on) {
        String p = requireArgument("PATH", ConfigPaths.normalize(path));
        if (!ConfigPaths.isSwitchable(ConfigPaths.classify(p))) {
            throw new ShellCommandException(p + ": not a namespace, passthru or referral (subsystems/<nqn>/namespaces/"
                    + "<nsid>, subsystems/<nqn>/passthru, ports/<id>/referrals/<name>)");
        }
        store.set(ConfigPaths.join(p, ConfigPaths.ENABLE), on ? "1" : "0");
        return Output.text((on ? "enabled " : "disabled ") + p);
    }

    static String requireArgument(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new ShellCommandException(name + ": missing");
        }
        return value;
    }
}
