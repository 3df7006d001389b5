package org.jnvmet.model.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.model.ModelEditor;
import org.jnvmet.model.ModelValidationException;

/**
 * Edits a private copy of the tree, refusing each write the way configfs refuses it (EACCES on a port's address while
 * it is enabled, EBUSY on a namespace's device while it is enabled, and so on). The store validates the whole result
 * again before anything is applied.
 */
final class TreeEditor implements ModelEditor {
    private final Node root;
    private final boolean strictNqn;

    TreeEditor(Node workingCopy, boolean strictNqn) {
        this.root = workingCopy;
        this.strictNqn = strictNqn;
    }

    Node root() {
        return root;
    }

    @Override
    public List<String> list(String path) {
        return TreePath.list(root, path);
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
    public boolean exists(String path) {
        return TreePath.exists(root, path);
    }

    private static ModelValidationException refused(String path, String message) {
        return new ModelValidationException(path, message);
    }

    @Override
    public void set(String path, String value) {
        TreePath.Ref ref = TreePath.resolve(root, path);
        if (!(ref instanceof TreePath.Attr a)) {
            if (ref instanceof TreePath.Missing m) {
                throw TreePath.noSuch(m.path());
            }
            throw refused(TreePath.refPath(ref), "not an attribute");
        }
        Node n = a.node();
        AttrDef def = n.kind.attr(a.attr());
        if (def == null) {
            throw refused(a.path(), "no such attribute");
        }
        String canonical;
        try {
            canonical = def.normalizer().normalize(value);
        } catch (IllegalArgumentException e) {
            throw refused(a.path(), e.getMessage());
        }
        switch (def.frozen()) {
            case WHILE_PORT_ENABLED -> {
                if (!n.linkSet(Kind.SUBSYSTEMS).isEmpty()) {
                    throw refused(a.path(), "port is enabled (unlink its subsystems to change it)");
                }
            }
            case WHILE_ENABLED -> {
                if (n.flag("enable") && !canonical.equals(n.effective(a.attr()))) {
                    String what = n.kind.name().toLowerCase(java.util.Locale.ROOT);
                    throw refused(a.path(), what + " is enabled (set enable to 0 first)");
                }
            }
            case NEVER -> {
            }
        }
        if (n.kind == Kind.SUBSYSTEM && a.attr().equals("attr_allow_any_host") && canonical.equals("1")
                && !n.linkSet(Kind.ALLOWED_HOSTS).isEmpty()) {
            throw refused(a.path(), "refused while allowed_hosts has links");
        }
        n.attrs.put(a.attr(), canonical);
    }

    @Override
    public void create(String path) {
        TreePath.Ref ref = TreePath.resolve(root, path);
        if (!(ref instanceof TreePath.Missing m)) {
            if (ref instanceof TreePath.Obj o && !o.path().isEmpty()) {
                throw refused(o.path(), "already exists");
            }
            throw refused(TreePath.refPath(ref), "not an object that can be created");
        }
        Kind kind = m.parent().kind.groups().get(m.group());
        String name = m.name();
        String problem = nameProblem(kind, name);
        if (problem != null) {
            throw refused(m.path(), problem);
        }
        Node child = new Node(kind, name);
        if (kind == Kind.NAMESPACE) {
            // nvmet_ns_alloc gives every namespace a random UUID; keep it so hosts see a stable identity.
            child.attrs.put("device_uuid", UUID.randomUUID().toString());
        }
        m.parent().group(m.group()).put(name, child);
    }

    private String nameProblem(Kind kind, String name) {
        try {
            return switch (kind) {
                case HOST -> Values.nqnProblem(name, strictNqn);
                case SUBSYSTEM -> {
                    String discovery = root.effective("discovery_nqn");
                    if (name.equals(NvmeTarget.DEFAULT_DISCOVERY_NQN) || name.equals(discovery)) {
                        yield "the discovery NQN cannot name a subsystem";
                    }
                    yield Values.nqnProblem(name, strictNqn);
                }
                case NAMESPACE -> {
                    long nsid = Values.parseObjectNumber(name, "nsid");
                    yield nsid < 1 || nsid > Validator.MAX_NSID ? "nsid must be 1..4294967294 (0xFFFFFFFE)" : null;
                }
                case PORT -> Values.parseObjectNumber(name, "portid") > 0xFFFF ? "portid must be 0..65535" : null;
                case ANA_GROUP -> {
                    long id = Values.parseObjectNumber(name, "grpid");
                    yield id < 2 || id > Values.ANA_GROUPS_MAX ? "grpid must be 2..128 (group 1 always exists)" : null;
                }
                case REFERRAL -> name.isBlank() || name.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)
                        ? "referral name must be printable without spaces" : null;
                default -> "cannot be created";
            };
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public void delete(String path) {
        String p = TreePath.normalize(path);
        int last = p.lastIndexOf('/');
        int prev = last < 0 ? -1 : p.lastIndexOf('/', last - 1);
        if (last < 0) {
            throw refused(p, "cannot be deleted");
        }
        String parentPath = prev < 0 ? "" : p.substring(0, prev);
        String group = p.substring(prev + 1, last);
        String name = p.substring(last + 1);
        Node parent = TreePath.object(root, parentPath).node();
        if (!parent.groups.containsKey(group)) {
            if (TreePath.exists(root, p)) {
                throw refused(p, "cannot be deleted");
            }
            throw TreePath.noSuch(p);
        }
        Node child = parent.group(group).get(name);
        if (child == null) {
            throw TreePath.noSuch(p);
        }
        if (child.kind == Kind.ANA_GROUP && name.equals(Kind.DEFAULT_ANA_GROUP)) {
            throw refused(p, "the default ANA group cannot be deleted");
        }
        if (child.kind == Kind.HOST) {
            for (Node s : root.group(Kind.SUBSYSTEMS).values()) {
                if (s.linkSet(Kind.ALLOWED_HOSTS).contains(name)) {
                    throw refused(p, "still linked from subsystems/" + s.name + "/allowed_hosts");
                }
            }
        }
        if (child.kind == Kind.SUBSYSTEM) {
            for (Node port : root.group(Kind.PORTS).values()) {
                if (port.linkSet(Kind.SUBSYSTEMS).contains(name)) {
                    throw refused(p, "still linked from ports/" + port.name + "/subsystems");
                }
            }
        }
        parent.group(group).remove(name);
    }

    @Override
    public void link(String path) {
        TreePath.Link l = link0(path);
        if (l.exists()) {
            throw refused(l.path(), "already linked");
        }
        String targetGroup = l.parent().kind.links().get(l.group());
        if (!root.group(targetGroup).containsKey(l.target())) {
            String what = targetGroup.equals(Kind.HOSTS) ? "host" : "subsystem";
            throw refused(l.path(), "no such " + what + " (create " + targetGroup + "/" + l.target() + " first)");
        }
        if (l.group().equals(Kind.ALLOWED_HOSTS) && l.parent().flag("attr_allow_any_host")) {
            throw refused(l.path(), "cannot link hosts while attr_allow_any_host is 1");
        }
        l.parent().linkSet(l.group()).add(l.target());
    }

    @Override
    public void unlink(String path) {
        TreePath.Link l = link0(path);
        if (!l.exists()) {
            throw refused(l.path(), "not linked");
        }
        l.parent().linkSet(l.group()).remove(l.target());
    }

    private TreePath.Link link0(String path) {
        TreePath.Ref ref = TreePath.resolve(root, path);
        if (ref instanceof TreePath.Link l) {
            return l;
        }
        throw refused(TreePath.refPath(ref), "not a link (allowed_hosts/<host> or a port's subsystems/<nqn>)");
    }
}
