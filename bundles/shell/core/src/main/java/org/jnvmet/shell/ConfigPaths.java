package org.jnvmet.shell;

import java.util.List;
import java.util.Map;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelSnapshot;

/**
 * Paths of the configuration tree as the shell writes them: configfs-like, relative to
 * {@code /sys/kernel/config/nvmet} (which may be written in front), e.g. {@code subsystems/<nqn>/namespaces/1}.
 */
public final class ConfigPaths {
    public static final String CONFIGFS_ROOT = "/sys/kernel/config/nvmet";
    public static final String HOSTS = "hosts";
    public static final String SUBSYSTEMS = "subsystems";
    public static final String PORTS = "ports";
    public static final String NAMESPACES = "namespaces";
    public static final String ALLOWED_HOSTS = "allowed_hosts";
    public static final String PASSTHRU = "passthru";
    public static final String REFERRALS = "referrals";
    public static final String ANA_GROUPS = "ana_groups";
    public static final String ENABLE = "enable";

    /** What a path names, by its position in the tree. */
    public enum Kind {
        ROOT, HOSTS, HOST, SUBSYSTEMS, SUBSYSTEM, ALLOWED_HOSTS, ALLOWED_HOST, NAMESPACES, NAMESPACE, PASSTHRU,
        PORTS, PORT, PORT_SUBSYSTEMS, PORT_SUBSYSTEM, REFERRALS, REFERRAL, ANA_GROUPS, ANA_GROUP, ATTRIBUTE, UNKNOWN
    }

    private static final Map<String, Kind> ROOT_GROUPS = Map.of(HOSTS, Kind.HOSTS, SUBSYSTEMS, Kind.SUBSYSTEMS,
            PORTS, Kind.PORTS);
    private static final Map<String, Kind> SUBSYSTEM_DIRS = Map.of(ALLOWED_HOSTS, Kind.ALLOWED_HOSTS,
            NAMESPACES, Kind.NAMESPACES, PASSTHRU, Kind.PASSTHRU);
    private static final Map<String, Kind> PORT_DIRS = Map.of(SUBSYSTEMS, Kind.PORT_SUBSYSTEMS,
            REFERRALS, Kind.REFERRALS, ANA_GROUPS, Kind.ANA_GROUPS);
    private static final Map<String, Kind> SUBSYSTEM_MEMBERS = Map.of(ALLOWED_HOSTS, Kind.ALLOWED_HOST,
            NAMESPACES, Kind.NAMESPACE);
    private static final Map<String, Kind> PORT_MEMBERS = Map.of(SUBSYSTEMS, Kind.PORT_SUBSYSTEM,
            REFERRALS, Kind.REFERRAL, ANA_GROUPS, Kind.ANA_GROUP);

    private ConfigPaths() {
    }

    /** Without the configfs prefix and surrounding slashes; "" is the root. */
    public static String normalize(String path) {
        if (path == null) {
            return "";
        }
        String p = path.trim();
        if (p.startsWith(CONFIGFS_ROOT)) {
            p = p.substring(CONFIGFS_ROOT.length());
        }
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return p.substring(start, end);
    }

    public static String join(String parent, String child) {
        String p = normalize(parent);
        return p.isEmpty() ? child : p + "/" + child;
    }

    public static String subsystem(String nqn) {
        return SUBSYSTEMS + "/" + nqn;
    }

    public static String host(String nqn) {
        return HOSTS + "/" + nqn;
    }

    public static String port(String portId) {
        return PORTS + "/" + portId;
    }

    /** The last segment, or "/" for the root. */
    public static String name(String path) {
        String p = normalize(path);
        return p.isEmpty() ? "/" : p.substring(p.lastIndexOf('/') + 1);
    }

    public static String parent(String path) {
        String p = normalize(path);
        int i = p.lastIndexOf('/');
        return i < 0 ? "" : p.substring(0, i);
    }

    public static List<String> segments(String path) {
        String p = normalize(path);
        return p.isEmpty() ? List.of() : List.of(p.split("/"));
    }

    /** Classifies a path by shape alone; whether it exists is the model's business. */
    public static Kind classify(String path) {
        List<String> s = segments(path);
        int n = s.size();
        if (n == 0) {
            return Kind.ROOT;
        }
        if (n == 1) {
            return ROOT_GROUPS.getOrDefault(s.get(0), Kind.ATTRIBUTE);
        }
        return switch (s.get(0)) {
            case HOSTS -> n == 2 ? Kind.HOST : n == 3 ? Kind.ATTRIBUTE : Kind.UNKNOWN;
            case SUBSYSTEMS -> classifySubsystem(s);
            case PORTS -> classifyPort(s);
            default -> Kind.UNKNOWN;
        };
    }

    private static Kind classifySubsystem(List<String> s) {
        int n = s.size();
        if (n == 2) {
            return Kind.SUBSYSTEM;
        }
        String dir = s.get(2);
        if (n == 3) {
            return SUBSYSTEM_DIRS.getOrDefault(dir, Kind.ATTRIBUTE);
        }
        if (n == 4) {
            return dir.equals(PASSTHRU) ? Kind.ATTRIBUTE : SUBSYSTEM_MEMBERS.getOrDefault(dir, Kind.UNKNOWN);
        }
        return n == 5 && dir.equals(NAMESPACES) ? Kind.ATTRIBUTE : Kind.UNKNOWN;
    }

    private static Kind classifyPort(List<String> s) {
        int n = s.size();
        if (n == 2) {
            return Kind.PORT;
        }
        String dir = s.get(2);
        if (n == 3) {
            return PORT_DIRS.getOrDefault(dir, Kind.ATTRIBUTE);
        }
        if (n == 4) {
            return PORT_MEMBERS.getOrDefault(dir, Kind.UNKNOWN);
        }
        return n == 5 && (dir.equals(REFERRALS) || dir.equals(ANA_GROUPS)) ? Kind.ATTRIBUTE : Kind.UNKNOWN;
    }

    /** True when {@code path} names an object that has attributes (not a group, link or attribute). */
    public static boolean isObject(ModelSnapshot snapshot, String path) {
        try {
            snapshot.attributes(normalize(path));
            return true;
        } catch (TargetConfigException e) {
            return false;
        }
    }

    /** Objects with an {@code enable} attribute: namespaces, a subsystem's passthru, referrals. */
    public static boolean isSwitchable(Kind kind) {
        return kind == Kind.NAMESPACE || kind == Kind.PASSTHRU || kind == Kind.REFERRAL;
    }
}
