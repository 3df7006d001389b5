package org.jnvmet.model.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One object of the tree: its explicitly written attributes (canonical text), child groups, link groups and fixed
 * children. Mutable while a transaction edits a private copy; a committed tree is never changed again.
 */
final class Node {
    /** Numbers (nsid, portid, grpid) in numeric order, other names as strings. */
    static final Comparator<String> NAME_ORDER = (a, b) -> {
        boolean na = isDigits(a);
        boolean nb = isDigits(b);
        if (na && nb) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        return a.compareTo(b);
    };

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    final Kind kind;
    final String name;
    /** Attributes written explicitly, including ones this version does not know (kept for round trips). */
    final TreeMap<String, String> attrs = new TreeMap<>();
    final Map<String, TreeMap<String, Node>> groups = new LinkedHashMap<>();
    final Map<String, TreeSet<String>> links = new LinkedHashMap<>();
    final Map<String, Node> fixed = new LinkedHashMap<>();

    Node(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
        for (String g : kind.groups().keySet()) {
            groups.put(g, new TreeMap<>(NAME_ORDER));
        }
        for (String l : kind.links().keySet()) {
            links.put(l, new TreeSet<>(NAME_ORDER));
        }
        for (var f : kind.fixed().entrySet()) {
            fixed.put(f.getKey(), new Node(f.getValue(), f.getKey()));
        }
        if (kind == Kind.PORT) {
            // ANA group 1 exists in every port without being created (NVMET_DEFAULT_ANA_GRPID).
            groups.get(Kind.ANA_GROUPS).put(Kind.DEFAULT_ANA_GROUP, new Node(Kind.ANA_GROUP, Kind.DEFAULT_ANA_GROUP));
        }
    }

    Node copy() {
        Node n = new Node(kind, name);
        n.attrs.putAll(attrs);
        for (var g : groups.entrySet()) {
            TreeMap<String, Node> target = n.groups.get(g.getKey());
            target.clear();
            g.getValue().forEach((k, v) -> target.put(k, v.copy()));
        }
        links.forEach((k, v) -> n.links.get(k).addAll(v));
        fixed.forEach((k, v) -> n.fixed.put(k, v.copy()));
        return n;
    }

    /** The value written, or the kernel's default; "" when neither exists. */
    String effective(String attr) {
        String v = attrs.get(attr);
        if (v != null) {
            return v;
        }
        if (kind == Kind.ANA_GROUP && attr.equals("ana_state") && name.equals(Kind.DEFAULT_ANA_GROUP)) {
            return "optimized";
        }
        AttrDef def = kind.attr(attr);
        return def == null || def.defaultValue() == null ? "" : def.defaultValue();
    }

    boolean flag(String attr) {
        return "1".equals(effective(attr));
    }

    long number(String attr) {
        String v = effective(attr);
        if (v.startsWith("0x")) {
            return Long.parseLong(v.substring(2), 16);
        }
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    /** An explicitly written, non-empty value, else null. */
    String explicit(String attr) {
        String v = attrs.get(attr);
        return v == null || v.isEmpty() ? null : v;
    }

    TreeMap<String, Node> group(String g) {
        return groups.get(g);
    }

    TreeSet<String> linkSet(String l) {
        return links.get(l);
    }

    /** Same attributes and links (children not compared). */
    boolean sameOwnState(Node o) {
        return o != null && kind == o.kind && attrs.equals(o.attrs) && links.equals(o.links);
    }

    @Override
    public String toString() {
        return kind + " " + name + " " + attrs + " " + links + " " + groups.keySet();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Node n)) {
            return false;
        }
        return kind == n.kind && name.equals(n.name) && attrs.equals(n.attrs) && links.equals(n.links)
                && groups.equals(n.groups) && fixed.equals(n.fixed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, attrs);
    }
}
