package org.jnvmet.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jnvmet.api.PortStatus;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.ModelValidationException;

/**
 * The tree {@code nvmetcli ls} draws (configshell's layout): one line per object, group and link, with a summary in
 * brackets, e.g. {@code o- 1 ........ [path=/dev/nvme0n1, uuid=..., grpid=1, enabled]}.
 */
public final class ConfigTree {
    /** Narrower terminals get lines longer than the terminal rather than no dots at all. */
    public static final int MIN_WIDTH = 40;
    public static final int DEFAULT_WIDTH = 100;

    private final ModelSnapshot snapshot;
    private final Map<Integer, PortStatus> portStatus;
    private final int width;
    private final StringBuilder out = new StringBuilder();

    private ConfigTree(ModelSnapshot snapshot, Map<Integer, PortStatus> portStatus, int width) {
        this.snapshot = snapshot;
        this.portStatus = portStatus;
        this.width = Math.max(MIN_WIDTH, width);
    }

    /**
     * Draws the subtree at {@code path}.
     *
     * @param portStatus ports' listening state from the running target, by port id (may be empty)
     * @param width      terminal width; lines are padded with dots to it
     */
    public static String render(ModelSnapshot snapshot, String path, Map<Integer, PortStatus> portStatus,
            int width) {
        String p = ConfigPaths.normalize(path);
        if (ConfigPaths.classify(p) == ConfigPaths.Kind.ATTRIBUTE && !p.isEmpty()
                && ConfigPaths.isObject(snapshot, ConfigPaths.parent(p))
                && snapshot.attributes(ConfigPaths.parent(p)).containsKey(ConfigPaths.name(p))) {
            throw new ModelValidationException(p, "an attribute, not an object (use nvmet:get)");
        }
        snapshot.list(p); // refuses missing objects, naming the path
        ConfigTree tree = new ConfigTree(snapshot, portStatus, width);
        tree.node(p, "", true);
        return tree.out.toString();
    }

    /** configshell's drawing: below a node that has later siblings, its descendants hang off a "|". */
    private void node(String path, String lead, boolean last) {
        line(lead + "o- " + ConfigPaths.name(path), summary(path));
        List<String> children = children(path);
        String childLead = lead + (last ? "  " : "| ");
        for (int i = 0; i < children.size(); i++) {
            node(ConfigPaths.join(path, children.get(i)), childLead, i == children.size() - 1);
        }
    }

    /** An object's sub-directories in name order, or a group's members in the model's order. */
    private List<String> children(String path) {
        if (!ConfigPaths.isObject(snapshot, path)) {
            return snapshot.list(path);
        }
        Set<String> attrs = snapshot.attributes(path).keySet();
        Set<String> dirs = new TreeSet<>(snapshot.list(path));
        dirs.removeAll(attrs);
        return new ArrayList<>(dirs);
    }

    private void line(String text, String summary) {
        String bracket = "[" + (summary.isEmpty() ? "..." : summary) + "]";
        int dots = Math.max(1, width - text.length() - bracket.length() - 2);
        out.append(text).append(' ').append(".".repeat(dots)).append(' ').append(bracket).append('\n');
    }

    private String summary(String path) {
        return switch (ConfigPaths.classify(path)) {
            case SUBSYSTEM -> subsystem(path);
            case NAMESPACE -> namespace(path);
            case PASSTHRU -> passthru(path);
            case PORT -> port(path);
            case REFERRAL -> referral(path);
            case ANA_GROUP -> "state=" + get(path, "ana_state");
            default -> "";
        };
    }

    private String subsystem(String path) {
        List<String> info = new ArrayList<>();
        optional(info, "version", get(path, "attr_version"));
        info.add("allow_any=" + get(path, "attr_allow_any_host"));
        optional(info, "serial", get(path, "attr_serial"));
        optional(info, "model", get(path, "attr_model"));
        return String.join(", ", info);
    }

    private String namespace(String path) {
        List<String> info = new ArrayList<>();
        info.add("path=" + get(path, "device_path"));
        info.add("uuid=" + get(path, "device_uuid"));
        String nguid = get(path, "device_nguid");
        if (!nguid.isEmpty() && !nguid.chars().allMatch(c -> c == '0' || c == '-')) {
            info.add("nguid=" + nguid);
        }
        info.add("grpid=" + get(path, "ana_grpid"));
        info.add(enabled(path));
        return String.join(", ", info);
    }

    private String passthru(String path) {
        List<String> info = new ArrayList<>();
        optional(info, "path", get(path, "device_path"));
        info.add(enabled(path));
        return String.join(", ", info);
    }

    private String port(String path) {
        List<String> info = address(path);
        boolean used = !snapshot.list(ConfigPaths.join(path, ConfigPaths.SUBSYSTEMS)).isEmpty()
                || !snapshot.list(ConfigPaths.join(path, ConfigPaths.REFERRALS)).isEmpty();
        info.add(used ? "enabled" : "disabled");
        PortStatus status = portId(path) == null ? null : portStatus.get(portId(path));
        if (status != null) {
            info.add(status.listening() ? "listening"
                    : "not listening" + (status.reason() == null || status.reason().isEmpty()
                            ? "" : ": " + status.reason()));
        }
        return String.join(", ", info);
    }

    private String referral(String path) {
        List<String> info = address(path);
        info.add("portid=" + get(path, "addr_portid"));
        info.add(enabled(path));
        return String.join(", ", info);
    }

    private List<String> address(String path) {
        List<String> info = new ArrayList<>();
        info.add("trtype=" + get(path, "addr_trtype"));
        optional(info, "traddr", get(path, "addr_traddr"));
        optional(info, "trsvcid", get(path, "addr_trsvcid"));
        return info;
    }

    private String enabled(String path) {
        return "1".equals(get(path, ConfigPaths.ENABLE)) ? "enabled" : "disabled";
    }

    private static Integer portId(String path) {
        try {
            return Integer.valueOf(ConfigPaths.name(path));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void optional(List<String> info, String key, String value) {
        if (!value.isEmpty()) {
            info.add(key + "=" + value);
        }
    }

    /** An attribute's effective value, "" when this object kind does not have it. */
    private String get(String path, String attr) {
        String value = snapshot.attributes(path).get(attr);
        return value == null ? "" : value;
    }
}
