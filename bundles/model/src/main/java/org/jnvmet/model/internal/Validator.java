package org.jnvmet.model.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.model.ModelValidationException.Problem;

/**
 * Checks a whole tree before it is applied: every attribute value, object names, and the rules that tie objects
 * together (links to existing objects, passthru versus namespaces, allow_any_host versus allowed hosts, what an
 * enabled port needs). The previous tree only decides which side of a conflict the message names.
 */
final class Validator {
    /** NVMET_MAX_NAMESPACES. */
    static final int MAX_NAMESPACES = 1024;
    /** NVME_NSID_ALL is not a namespace. */
    static final long MAX_NSID = 0xFFFFFFFEL;

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private final boolean strictNqn;
    private final List<Problem> problems = new ArrayList<>();
    private Node oldRoot;

    private Validator(boolean strictNqn) {
        this.strictNqn = strictNqn;
    }

    static List<Problem> validate(Node oldRoot, Node newRoot, boolean strictNqn) {
        Validator v = new Validator(strictNqn);
        v.oldRoot = oldRoot == null ? new Node(Kind.ROOT, "") : oldRoot;
        v.root(newRoot);
        return v.problems;
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    private void attributes(Node n, String path) {
        for (var e : n.attrs.entrySet()) {
            AttrDef def = n.kind.attr(e.getKey());
            if (def == null) {
                continue; // kept verbatim from an imported file written by a newer kernel
            }
            try {
                String canonical = def.normalizer().normalize(e.getValue());
                if (!canonical.equals(e.getValue())) {
                    problem(TreePath.join(path, e.getKey()), "not in canonical form '" + canonical + "'");
                }
            } catch (IllegalArgumentException ex) {
                problem(TreePath.join(path, e.getKey()), ex.getMessage());
            }
        }
    }

    private void nqn(String path, String nqn) {
        String p = Values.nqnProblem(nqn, strictNqn);
        if (p != null) {
            problem(path, p);
        }
    }

    private void root(Node root) {
        attributes(root, "");
        String discovery = root.effective("discovery_nqn");
        for (var h : root.group(Kind.HOSTS).entrySet()) {
            String path = Kind.HOSTS + "/" + h.getKey();
            nqn(path, h.getKey());
            attributes(h.getValue(), path);
        }
        for (var s : root.group(Kind.SUBSYSTEMS).entrySet()) {
            subsystem(root, s.getValue(), Kind.SUBSYSTEMS + "/" + s.getKey(), discovery);
        }
        Map<String, String> listeners = new HashMap<>();
        for (var p : root.group(Kind.PORTS).entrySet()) {
            port(root, p.getValue(), Kind.PORTS + "/" + p.getKey(), listeners);
        }
    }

    private void subsystem(Node root, Node s, String path, String discoveryNqn) {
        nqn(path, s.name);
        if (s.name.equals(NvmeTarget.DEFAULT_DISCOVERY_NQN) || s.name.equals(discoveryNqn)) {
            problem(path, "the discovery NQN cannot name a subsystem");
        }
        attributes(s, path);
        if (s.number("attr_cntlid_min") > s.number("attr_cntlid_max")) {
            problem(path + "/attr_cntlid_min", "greater than attr_cntlid_max (" + s.effective("attr_cntlid_max") + ")");
        }
        Node old = oldRoot.group(Kind.SUBSYSTEMS).get(s.name);
        var allowed = s.linkSet(Kind.ALLOWED_HOSTS);
        if (s.flag("attr_allow_any_host") && !allowed.isEmpty()) {
            if (old != null && old.flag("attr_allow_any_host")) {
                for (String h : allowed) {
                    if (!old.linkSet(Kind.ALLOWED_HOSTS).contains(h)) {
                        problem(path + "/allowed_hosts/" + h, "cannot link hosts while attr_allow_any_host is 1");
                    }
                }
            } else {
                problem(path + "/attr_allow_any_host", "refused while allowed_hosts has links");
            }
        }
        for (String h : allowed) {
            if (!root.group(Kind.HOSTS).containsKey(h)) {
                problem(path + "/allowed_hosts/" + h, "no such host (create hosts/" + h + " first)");
            }
        }
        var namespaces = s.group(Kind.NAMESPACES);
        if (namespaces.size() > MAX_NAMESPACES) {
            problem(path + "/namespaces", "more than " + MAX_NAMESPACES + " namespaces");
        }
        for (var e : namespaces.entrySet()) {
            String nsPath = path + "/namespaces/" + e.getKey();
            try {
                long nsid = Values.parseObjectNumber(e.getKey(), "nsid");
                if (nsid < 1 || nsid > MAX_NSID) {
                    problem(nsPath, "nsid must be 1..4294967294 (0xFFFFFFFE)");
                }
            } catch (IllegalArgumentException ex) {
                problem(nsPath, ex.getMessage());
            }
            Node ns = e.getValue();
            attributes(ns, nsPath);
            if (ns.flag("enable") && ns.explicit("device_path") == null) {
                problem(nsPath + "/device_path", "required to enable the namespace");
            }
        }
        Node pt = s.fixed.get(Kind.PASSTHRU_DIR);
        String ptPath = path + "/" + Kind.PASSTHRU_DIR;
        attributes(pt, ptPath);
        if (pt.flag("enable")) {
            if (pt.explicit("device_path") == null) {
                problem(ptPath + "/device_path", "required to enable passthru");
            }
            if (!namespaces.isEmpty()) {
                boolean wasPassthru = old != null && old.fixed.get(Kind.PASSTHRU_DIR).flag("enable");
                if (wasPassthru) {
                    for (String nsid : namespaces.keySet()) {
                        if (old.group(Kind.NAMESPACES).get(nsid) == null) {
                            problem(path + "/namespaces/" + nsid,
                                    "passthru is enabled; passthru and namespaces are mutually exclusive");
                        }
                    }
                } else {
                    problem(ptPath + "/enable", "the subsystem has namespaces; passthru and namespaces are mutually "
                            + "exclusive");
                }
            }
        }
    }

    private void port(Node root, Node p, String path, Map<String, String> listeners) {
        try {
            long id = Values.parseObjectNumber(p.name, "portid");
            if (id > 0xFFFF) {
                problem(path, "portid must be 0..65535");
            }
        } catch (IllegalArgumentException ex) {
            problem(path, ex.getMessage());
        }
        attributes(p, path);
        var linked = p.linkSet(Kind.SUBSYSTEMS);
        for (String s : linked) {
            if (!root.group(Kind.SUBSYSTEMS).containsKey(s)) {
                problem(path + "/subsystems/" + s, "no such subsystem");
            }
        }
        String trtype = p.effective("addr_trtype");
        transportSecurity(p, path, trtype);
        if (!linked.isEmpty()) {
            enabledPortAddress(p, path, trtype, listeners);
        }
        for (var r : p.group(Kind.REFERRALS).entrySet()) {
            String rPath = path + "/referrals/" + r.getKey();
            if (r.getKey().isEmpty()) {
                problem(rPath, "empty referral name");
            }
            attributes(r.getValue(), rPath);
            if (r.getValue().flag("enable") && r.getValue().effective("addr_trtype").isEmpty()) {
                problem(rPath + "/addr_trtype", "required to enable the referral");
            }
        }
        var ana = p.group(Kind.ANA_GROUPS);
        if (!ana.containsKey(Kind.DEFAULT_ANA_GROUP)) {
            problem(path + "/ana_groups/1", "the default ANA group cannot be deleted");
        }
        for (var g : ana.entrySet()) {
            String gPath = path + "/ana_groups/" + g.getKey();
            try {
                long id = Values.parseObjectNumber(g.getKey(), "grpid");
                if (id < 1 || id > Values.ANA_GROUPS_MAX) {
                    problem(gPath, "grpid must be 1..128");
                }
            } catch (IllegalArgumentException ex) {
                problem(gPath, ex.getMessage());
            }
            attributes(g.getValue(), gPath);
        }
    }

    private void transportSecurity(Node p, String path, String trtype) {
        String tsas = p.effective("addr_tsas");
        if (tsas.isEmpty()) {
            return;
        }
        boolean fits = switch (trtype) {
            case "tcp" -> tsas.equals("none") || tsas.equals("tls1.3");
            case "rdma" -> tsas.equals("connected");
            default -> false;
        };
        if (!fits) {
            problem(path + "/addr_tsas", "'" + tsas + "' does not apply to addr_trtype '" + trtype + "'");
        } else if (tsas.equals("tls1.3")) {
            problem(path + "/addr_tsas", "tls1.3 is not supported by this target");
        }
    }

    /** What nvmet_enable_port and the transport's add_port need before the port can listen. */
    private void enabledPortAddress(Node p, String path, String trtype, Map<String, String> listeners) {
        if (trtype.isEmpty()) {
            problem(path + "/addr_trtype", "required while subsystems are linked");
            return;
        }
        if (!trtype.equals("tcp") && !trtype.equals("rdma")) {
            return;
        }
        String adrfam = p.effective("addr_adrfam");
        String traddr = p.effective("addr_traddr");
        String trsvcid = p.effective("addr_trsvcid");
        if (!adrfam.equals("ipv4") && !adrfam.equals("ipv6")) {
            problem(path + "/addr_adrfam", "must be ipv4 or ipv6 for " + trtype + " while subsystems are linked");
        } else if (traddr.isEmpty()) {
            problem(path + "/addr_traddr", "required while subsystems are linked");
        } else if (!(adrfam.equals("ipv4") ? IPV4 : IPV6).matcher(traddr).matches()) {
            problem(path + "/addr_traddr", "not an " + adrfam + " address");
        }
        if (!trsvcid.matches("[0-9]{1,5}") || Integer.parseInt(trsvcid) > 0xFFFF) {
            problem(path + "/addr_trsvcid", "must be a port number 0..65535 for " + trtype);
            return;
        }
        String key = trtype + " " + traddr + " " + trsvcid;
        String other = listeners.putIfAbsent(key, path);
        if (other != null && !Objects.equals(other, path)) {
            problem(path + "/addr_trsvcid", "same address as " + other + " (" + traddr + ":" + trsvcid + ")");
        }
    }
}
