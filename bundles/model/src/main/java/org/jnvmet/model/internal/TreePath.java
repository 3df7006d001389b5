package org.jnvmet.model.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnvmet.model.ModelValidationException;

/** Resolves configfs-like paths in a tree and implements the read operations shared by snapshots and editors. */
final class TreePath {
    private TreePath() {
    }

    /** What a path names. */
    sealed interface Ref permits Obj, Attr, Group, LinkGroup, Link, Missing {
    }

    record Obj(Node node, String path) implements Ref {
    }

    record Attr(Node node, String nodePath, String attr) implements Ref {
        String path() {
            return join(nodePath, attr);
        }
    }

    /** A group of child objects (e.g. {@code subsystems/<nqn>/namespaces}). */
    record Group(Node parent, String parentPath, String group) implements Ref {
        String path() {
            return join(parentPath, group);
        }
    }

    /** A link group (allowed_hosts, a port's subsystems). */
    record LinkGroup(Node parent, String parentPath, String group) implements Ref {
        String path() {
            return join(parentPath, group);
        }
    }

    /** One link, existing or not. */
    record Link(Node parent, String parentPath, String group, String target) implements Ref {
        String path() {
            return join(parentPath, group + "/" + target);
        }

        boolean exists() {
            return parent.linkSet(group).contains(target);
        }
    }

    /** A named child that does not exist (yet). */
    record Missing(Node parent, String parentPath, String group, String name) implements Ref {
        String path() {
            return join(parentPath, group + "/" + name);
        }
    }

    static final String CONFIGFS_ROOT = "/sys/kernel/config/nvmet";

    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    static String normalize(String path) {
        if (path == null) {
            throw new ModelValidationException("", "missing path");
        }
        String p = path.trim();
        if (p.startsWith(CONFIGFS_ROOT)) {
            p = p.substring(CONFIGFS_ROOT.length());
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.contains("//")) {
            throw new ModelValidationException(p, "empty path segment");
        }
        return p;
    }

    static Ref resolve(Node root, String rawPath) {
        String path = normalize(rawPath);
        if (path.isEmpty()) {
            return new Obj(root, "");
        }
        String[] segs = path.split("/");
        Node cur = root;
        String curPath = "";
        int i = 0;
        while (i < segs.length) {
            String s = segs[i];
            if (cur.groups.containsKey(s)) {
                if (i + 1 == segs.length) {
                    return new Group(cur, curPath, s);
                }
                String name = segs[i + 1];
                Node child = cur.group(s).get(name);
                if (child == null) {
                    if (i + 2 == segs.length) {
                        return new Missing(cur, curPath, s, name);
                    }
                    throw noSuch(join(curPath, s + "/" + name));
                }
                cur = child;
                curPath = join(curPath, s + "/" + name);
                i += 2;
            } else if (cur.links.containsKey(s)) {
                if (i + 1 == segs.length) {
                    return new LinkGroup(cur, curPath, s);
                }
                if (i + 2 != segs.length) {
                    throw noSuch(path);
                }
                return new Link(cur, curPath, s, segs[i + 1]);
            } else if (cur.fixed.containsKey(s)) {
                cur = cur.fixed.get(s);
                curPath = join(curPath, s);
                i++;
            } else {
                if (i + 1 != segs.length) {
                    throw noSuch(join(curPath, s));
                }
                return new Attr(cur, curPath, s);
            }
        }
        return new Obj(cur, curPath);
    }

    static ModelValidationException noSuch(String path) {
        return new ModelValidationException(path, "no such object");
    }

    static Obj object(Node root, String path) {
        Ref r = resolve(root, path);
        if (r instanceof Obj o) {
            return o;
        }
        throw new ModelValidationException(refPath(r), "not an object");
    }

    static String refPath(Ref r) {
        if (r instanceof Obj o) {
            return o.path();
        } else if (r instanceof Attr a) {
            return a.path();
        } else if (r instanceof Group g) {
            return g.path();
        } else if (r instanceof LinkGroup l) {
            return l.path();
        } else if (r instanceof Link l) {
            return l.path();
        }
        return ((Missing) r).path();
    }

    static boolean exists(Node root, String path) {
        try {
            Ref r = resolve(root, path);
            if (r instanceof Missing) {
                return false;
            } else if (r instanceof Link l) {
                return l.exists();
            } else if (r instanceof Attr a) {
                return a.node().kind.attr(a.attr()) != null || a.node().attrs.containsKey(a.attr());
            }
            return true;
        } catch (ModelValidationException e) {
            return false;
        }
    }

    static List<String> list(Node root, String path) {
        Ref r = resolve(root, path);
        if (r instanceof Obj o) {
            return entries(o.node());
        } else if (r instanceof Group g) {
            return new ArrayList<>(g.parent().group(g.group()).keySet());
        } else if (r instanceof LinkGroup l) {
            return new ArrayList<>(l.parent().linkSet(l.group()));
        } else if (r instanceof Link l) {
            if (!l.exists()) {
                throw noSuch(l.path());
            }
            return List.of();
        } else if (r instanceof Missing m) {
            throw noSuch(m.path());
        }
        throw new ModelValidationException(refPath(r), "not an object");
    }

    /** An object's entries the way {@code ls} in configfs shows them: attributes, then directories. */
    static List<String> entries(Node n) {
        List<String> out = new ArrayList<>(attributes(n).keySet());
        out.addAll(n.groups.keySet());
        out.addAll(n.links.keySet());
        out.addAll(n.fixed.keySet());
        return out;
    }

    static String get(Node root, String path) {
        Ref r = resolve(root, path);
        if (r instanceof Attr a) {
            Node n = a.node();
            if (n.kind.attr(a.attr()) == null && !n.attrs.containsKey(a.attr())) {
                throw new ModelValidationException(a.path(), "no such attribute");
            }
            return effective(n, a.nodePath(), a.attr());
        }
        if (r instanceof Missing m) {
            throw noSuch(m.path());
        }
        throw new ModelValidationException(refPath(r), "not an attribute");
    }

    static Map<String, String> attributes(Node root, String path) {
        Obj o = object(root, path);
        Map<String, String> out = new LinkedHashMap<>();
        attributes(o.node()).forEach((k, v) -> out.put(k, effective(o.node(), o.path(), k)));
        return out;
    }

    private static Map<String, String> attributes(Node n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : n.kind.attrs().keySet()) {
            out.put(a, "");
        }
        for (String a : n.attrs.keySet()) {
            out.putIfAbsent(a, "");
        }
        return out;
    }

    /** Effective value, including the stable derived device_uuid of a namespace that has none. */
    static String effective(Node n, String nodePath, String attr) {
        if (n.kind == Kind.NAMESPACE && attr.equals("device_uuid") && n.explicit(attr) == null) {
            return SpecMapper.derivedUuid(nodePath).toString();
        }
        return n.effective(attr);
    }
}
