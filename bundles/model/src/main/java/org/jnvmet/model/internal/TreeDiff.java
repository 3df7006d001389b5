package org.jnvmet.model.internal;

import java.util.Set;
import java.util.TreeSet;

/** Paths of the objects that differ between two trees (created, deleted, or own attributes or links changed). */
final class TreeDiff {
    private TreeDiff() {
    }

    static Set<String> changedObjects(Node before, Node after) {
        Set<String> out = new TreeSet<>();
        if (!before.attrs.equals(after.attrs)) {
            out.add("discovery_nqn");
        }
        children(before, after, "", out);
        return out;
    }

    private static void walk(Node before, Node after, String path, Set<String> out) {
        if (before == null || after == null) {
            out.add(path);
            Node present = before == null ? after : before;
            present.fixed.keySet().forEach(f -> {
                if (!present.fixed.get(f).attrs.isEmpty()) {
                    out.add(path + "/" + f);
                }
            });
            return;
        }
        if (!before.sameOwnState(after)) {
            out.add(path);
        }
        for (String f : after.fixed.keySet()) {
            walk(before.fixed.get(f), after.fixed.get(f), path + "/" + f, out);
        }
        children(before, after, path, out);
    }

    private static void children(Node before, Node after, String path, Set<String> out) {
        for (String g : after.groups.keySet()) {
            var b = before.group(g);
            var a = after.group(g);
            Set<String> names = new TreeSet<>(Node.NAME_ORDER);
            names.addAll(b.keySet());
            names.addAll(a.keySet());
            for (String name : names) {
                walk(b.get(name), a.get(name), TreePath.join(path, g + "/" + name), out);
            }
        }
    }
}
