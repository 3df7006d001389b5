package org.jnvmet.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelSnapshot;

/**
 * Candidates for the shells' tab completion, computed from one snapshot of the tree. Paths complete one segment at a
 * time: a candidate ending in "/" has more below it.
 */
public final class Completions {
    private Completions() {
    }

    /**
     * Completions of a partly typed path: the entries of the deepest complete parent. Directories (objects, groups,
     * links) always; attributes only with {@code withAttributes}.
     */
    public static List<String> paths(ModelSnapshot snapshot, String typed, boolean withAttributes) {
        String t = typed == null ? "" : typed;
        int slash = t.lastIndexOf('/');
        String typedParent = slash < 0 ? "" : t.substring(0, slash + 1);
        String parent = ConfigPaths.normalize(typedParent);
        List<String> out = new ArrayList<>();
        try {
            boolean object = ConfigPaths.isObject(snapshot, parent);
            Set<String> attrs = object ? snapshot.attributes(parent).keySet() : Set.of();
            for (String name : snapshot.list(parent)) {
                String child = ConfigPaths.join(parent, name);
                if (attrs.contains(name)) {
                    if (withAttributes) {
                        out.add(typedParent + name);
                    }
                } else {
                    out.add(typedParent + name + (hasEntries(snapshot, child) ? "/" : ""));
                }
            }
        } catch (TargetConfigException e) {
            return List.of(); // the parent does not exist: nothing to offer
        }
        return out;
    }

    private static boolean hasEntries(ModelSnapshot snapshot, String path) {
        try {
            return !snapshot.list(path).isEmpty();
        } catch (TargetConfigException e) {
            return false;
        }
    }

    public static List<String> subsystems(ModelSnapshot snapshot) {
        return snapshot.list(ConfigPaths.SUBSYSTEMS);
    }

    public static List<String> hosts(ModelSnapshot snapshot) {
        return snapshot.list(ConfigPaths.HOSTS);
    }

    public static List<String> ports(ModelSnapshot snapshot) {
        return snapshot.list(ConfigPaths.PORTS);
    }

    /** Attribute names of the object at {@code path}; none when it is not an object. */
    public static List<String> attributes(ModelSnapshot snapshot, String path) {
        String p = ConfigPaths.normalize(path);
        return ConfigPaths.isObject(snapshot, p) ? List.copyOf(snapshot.attributes(p).keySet()) : List.of();
    }

    /** Every namespace, passthru and referral path: what {@code enable} and {@code disable} take. */
    public static List<String> switchable(ModelSnapshot snapshot) {
        List<String> out = new ArrayList<>();
        for (String nqn : subsystems(snapshot)) {
            String s = ConfigPaths.subsystem(nqn);
            for (String nsid : snapshot.list(ConfigPaths.join(s, ConfigPaths.NAMESPACES))) {
                out.add(ConfigPaths.join(s, ConfigPaths.NAMESPACES + "/" + nsid));
            }
            out.add(ConfigPaths.join(s, ConfigPaths.PASSTHRU));
        }
        for (String port : ports(snapshot)) {
            String referrals = ConfigPaths.join(ConfigPaths.port(port), ConfigPaths.REFERRALS);
            for (String r : snapshot.list(referrals)) {
                out.add(ConfigPaths.join(referrals, r));
            }
        }
        return out;
    }

    /** Accounting device names. */
    public static List<String> devices(AccountingService accounting) {
        List<String> out = new ArrayList<>();
        for (DiskStats s : accounting.list()) {
            out.add(s.name());
        }
        return out;
    }
}
