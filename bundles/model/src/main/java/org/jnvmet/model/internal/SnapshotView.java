package org.jnvmet.model.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jnvmet.model.HostConfig;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.PassthruConfig;

/** A committed (never again modified) tree. */
final class SnapshotView implements ModelSnapshot {
    private final Node root;
    private final long generation;

    SnapshotView(Node root, long generation) {
        this.root = root;
        this.generation = generation;
    }

    Node root() {
        return root;
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public boolean exists(String path) {
        return TreePath.exists(root, path);
    }

    @Override
    public List<String> list(String path) {
        return List.copyOf(TreePath.list(root, path));
    }

    @Override
    public String get(String path) {
        return TreePath.get(root, path);
    }

    @Override
    public Map<String, String> attributes(String path) {
        return TreePath.attributes(root, path);
    }

    @Override
    public Map<String, PassthruConfig> passthru() {
        Map<String, PassthruConfig> out = new TreeMap<>();
        for (Node s : root.group(Kind.SUBSYSTEMS).values()) {
            Node pt = s.fixed.get(Kind.PASSTHRU_DIR);
            String path = pt.explicit("device_path");
            if (path != null) {
                out.put(s.name, new PassthruConfig(s.name, path, pt.flag("enable"), pt.number("admin_timeout"),
                        pt.number("io_timeout"), pt.number("clear_ids"),
                        Values.parseOpcodes(pt.effective("allowed_admin_opcodes"))));
            }
        }
        return out;
    }

    @Override
    public Map<String, HostConfig> hosts() {
        Map<String, HostConfig> out = new TreeMap<>();
        for (Node h : root.group(Kind.HOSTS).values()) {
            out.put(h.name, new HostConfig(h.name, h.effective("dhchap_key"), h.effective("dhchap_ctrl_key"),
                    h.effective("dhchap_hash"), h.effective("dhchap_dhgroup")));
        }
        return out;
    }

    @Override
    public Map<Integer, Map<Integer, String>> anaStates() {
        Map<Integer, Map<Integer, String>> out = new TreeMap<>();
        for (Node p : root.group(Kind.PORTS).values()) {
            Map<Integer, String> states = new LinkedHashMap<>();
            for (Node g : p.group(Kind.ANA_GROUPS).values()) {
                states.put(Integer.parseInt(g.name), g.effective("ana_state"));
            }
            out.put(Integer.parseInt(p.name), states);
        }
        return out;
    }

    @Override
    public String toJson() {
        return NvmetcliJson.write(root);
    }
}
