package org.jnvmet.model.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jnvmet.model.ModelValidationException;
import org.jnvmet.model.ModelValidationException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON {@code nvmetcli save} writes and {@code nvmetcli restore} reads (nvmet/nvme.py dump and setup): top-level
 * {@code hosts}, {@code subsystems} and {@code ports}; configfs attributes {@code <group>_<name>} become
 * {@code "<group>": {"<name>": "<value as shown>"}}; {@code nsid}, {@code portid}, {@code grpid}, {@code enable},
 * {@code ana_grpid} and the passthru numbers are ints. jnvmet-only attributes go under a {@code "jnvmet"} key that
 * nvmetcli ignores. Attributes of a newer kernel are kept verbatim so a saved file survives a round trip.
 */
final class NvmetcliJson {
    private static final Logger LOG = LoggerFactory.getLogger(NvmetcliJson.class);

    /** Bound on a configuration document; a real one is kilobytes. */
    static final int MAX_DOCUMENT_CHARS = 16 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                    .maxStringLength(1 << 20).build())
            .build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Attribute groups nvmetcli dumps for each kind, written even when empty. */
    private static final Map<Kind, List<String>> DUMPED_GROUPS = Map.of(
            Kind.ROOT, List.of(),
            Kind.HOST, List.of(),
            Kind.SUBSYSTEM, List.of("attr"),
            Kind.NAMESPACE, List.of("device", "ana", "resv"),
            Kind.PASSTHRU, List.of("device"),
            Kind.PORT, List.of("addr", "param"),
            Kind.REFERRAL, List.of("addr"),
            Kind.ANA_GROUP, List.of("ana"));
    /** Groups read for each kind (the dumped ones plus optional ones). */
    private static final Map<Kind, List<String>> READ_GROUPS = Map.of(
            Kind.ROOT, List.of(),
            Kind.HOST, List.of("dhchap"),
            Kind.SUBSYSTEM, List.of("attr"),
            Kind.NAMESPACE, List.of("device", "ana", "resv"),
            Kind.PASSTHRU, List.of("device"),
            Kind.PORT, List.of("addr", "param"),
            Kind.REFERRAL, List.of("addr"),
            Kind.ANA_GROUP, List.of("ana"));

    private NvmetcliJson() {
    }

    // ------------------------------------------------------------------ reading

    /** Parses a document into a new tree; every malformed or refused value is reported with its path. */
    static Node read(String json) {
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new ModelValidationException("", "configuration larger than " + MAX_DOCUMENT_CHARS + " characters");
        }
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelValidationException("", "not valid JSON: " + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()));
        }
        if (doc == null || !doc.isObject()) {
            throw new ModelValidationException("", "not a JSON object");
        }
        Reader r = new Reader();
        Node root = r.root(doc);
        if (!r.problems.isEmpty()) {
            throw new ModelValidationException(r.problems);
        }
        return root;
    }

    private static final class Reader {
        final List<Problem> problems = new ArrayList<>();

        void problem(String path, String message) {
            problems.add(new Problem(path, message));
        }

        Node root(JsonNode doc) {
            Node root = new Node(Kind.ROOT, "");
            JsonNode disc = doc.get("discovery");
            if (disc != null && disc.isObject() && disc.has("nqn")) {
                attr(root, "", "discovery_nqn", disc.get("nqn"));
            }
            for (JsonNode h : array(doc, "hosts", "hosts")) {
                String nqn = name(h, "nqn", "hosts");
                if (nqn != null) {
                    Node host = add(root, Kind.HOSTS, nqn, Kind.HOST, "hosts/" + nqn);
                    if (host != null) {
                        groups(host, h, "hosts/" + nqn);
                    }
                }
            }
            for (JsonNode s : array(doc, "subsystems", "subsystems")) {
                String nqn = name(s, "nqn", "subsystems");
                if (nqn != null) {
                    subsystem(root, s, nqn);
                }
            }
            for (JsonNode p : array(doc, "ports", "ports")) {
                String id = name(p, "portid", "ports");
                if (id != null) {
                    port(root, p, id);
                }
            }
            return root;
        }

        void subsystem(Node root, JsonNode json, String nqn) {
            String path = "subsystems/" + nqn;
            Node s = add(root, Kind.SUBSYSTEMS, nqn, Kind.SUBSYSTEM, path);
            if (s == null) {
                return;
            }
            groups(s, json, path);
            for (JsonNode n : array(json, "namespaces", path + "/namespaces")) {
                String nsid = name(n, "nsid", path + "/namespaces");
                if (nsid != null) {
                    String nsPath = path + "/namespaces/" + nsid;
                    Node ns = add(s, Kind.NAMESPACES, nsid, Kind.NAMESPACE, nsPath);
                    if (ns != null) {
                        groups(ns, n, nsPath);
                        topInts(ns, n, nsPath);
                    }
                }
            }
            links(s, Kind.ALLOWED_HOSTS, json, path);
            List<JsonNode> passthru = array(json, "passthru", path + "/passthru");
            if (passthru.size() > 1) {
                problem(path + "/passthru", "more than one passthru entry");
            } else if (passthru.size() == 1) {
                Node pt = s.fixed.get(Kind.PASSTHRU_DIR);
                groups(pt, passthru.get(0), path + "/passthru");
                topInts(pt, passthru.get(0), path + "/passthru");
                // The kernel shows an unset passthru device_path as "(null)"; that is no path at all.
                if ("(null)".equals(pt.attrs.get("device_path"))) {
                    pt.attrs.remove("device_path");
                }
            }
        }

        void port(Node root, JsonNode json, String id) {
            String path = "ports/" + id;
            Node p = add(root, Kind.PORTS, id, Kind.PORT, path);
            if (p == null) {
                return;
            }
            groups(p, json, path);
            links(p, Kind.SUBSYSTEMS, json, path);
            for (JsonNode r : array(json, "referrals", path + "/referrals")) {
                String name = name(r, "name", path + "/referrals");
                if (name != null) {
                    String rPath = path + "/referrals/" + name;
                    Node ref = add(p, Kind.REFERRALS, name, Kind.REFERRAL, rPath);
                    if (ref != null) {
                        groups(ref, r, rPath);
                        topInts(ref, r, rPath);
                    }
                }
            }
            for (JsonNode a : array(json, "ana_groups", path + "/ana_groups")) {
                String grpid = name(a, "grpid", path + "/ana_groups");
                if (grpid != null) {
                    String gPath = path + "/ana_groups/" + grpid;
                    Node g = p.group(Kind.ANA_GROUPS).get(grpid);
                    if (g == null || !grpid.equals(Kind.DEFAULT_ANA_GROUP)) {
                        g = add(p, Kind.ANA_GROUPS, grpid, Kind.ANA_GROUP, gPath);
                    }
                    if (g != null) {
                        groups(g, a, gPath);
                    }
                }
            }
        }

        List<JsonNode> array(JsonNode parent, String key, String path) {
            JsonNode a = parent.get(key);
            if (a == null || a.isNull()) {
                return List.of();
            }
            if (!a.isArray()) {
                problem(path, "not a list");
                return List.of();
            }
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isObject() && !key.equals("allowed_hosts") && !key.equals("subsystems")) {
                    problem(path + "[" + i + "]", "not an object");
                } else {
                    out.add(a.get(i));
                }
            }
            return out;
        }

        /** An object's identifying key as its name: numbers in decimal, strings as they are. */
        String name(JsonNode obj, String key, String groupPath) {
            JsonNode v = obj.get(key);
            if (v == null || v.isNull()) {
                problem(groupPath, "an entry without '" + key + "'");
                return null;
            }
            if (v.isIntegralNumber()) {
                return v.asText();
            }
            if (!v.isTextual()) {
                problem(groupPath, "'" + key + "' is not a string or number");
                return null;
            }
            String s = v.textValue();
            if (key.equals("nsid") || key.equals("portid") || key.equals("grpid")) {
                try {
                    return Long.toString(Values.parseAutoBase(s, false));
                } catch (IllegalArgumentException e) {
                    problem(groupPath + "/" + s, key + " is not a number");
                    return null;
                }
            }
            if (s.isEmpty() || s.contains("/")) {
                problem(groupPath + "/" + s, "invalid name");
                return null;
            }
            return s;
        }

        Node add(Node parent, String group, String name, Kind kind, String path) {
            if (parent.group(group).containsKey(name)) {
                problem(path, "defined twice");
                return null;
            }
            Node n = new Node(kind, name);
            parent.group(group).put(name, n);
            return n;
        }

        void links(Node n, String linkGroup, JsonNode json, String path) {
            JsonNode a = json.get(linkGroup);
            if (a == null || a.isNull()) {
                return;
            }
            if (!a.isArray()) {
                problem(path + "/" + linkGroup, "not a list");
                return;
            }
            for (JsonNode t : a) {
                if (!t.isTextual() || t.textValue().isEmpty()) {
                    problem(path + "/" + linkGroup, "entries must be names");
                } else {
                    n.linkSet(linkGroup).add(t.textValue());
                }
            }
        }

        void groups(Node n, JsonNode json, String path) {
            for (String g : READ_GROUPS.get(n.kind)) {
                JsonNode group = json.get(g);
                if (group == null || group.isNull()) {
                    continue;
                }
                if (!group.isObject()) {
                    problem(path + "/" + g, "not an object");
                    continue;
                }
                for (Iterator<String> it = group.fieldNames(); it.hasNext();) {
                    String key = it.next();
                    attr(n, path, g + "_" + key, group.get(key));
                }
            }
            JsonNode extra = json.get(AttrDef.EXTRA);
            if (extra != null && extra.isObject()) {
                for (Iterator<String> it = extra.fieldNames(); it.hasNext();) {
                    String key = it.next();
                    AttrDef def = n.kind.attr(key);
                    if (def == null || !AttrDef.EXTRA.equals(def.jsonGroup())) {
                        problem(path + "/" + key, "unknown jnvmet attribute");
                    } else {
                        attr(n, path, key, extra.get(key));
                    }
                }
            }
        }

        void topInts(Node n, JsonNode json, String path) {
            for (AttrDef def : n.kind.attrs().values()) {
                if (def.topLevelInt() && json.has(def.jsonKey())) {
                    attr(n, path, def.name(), json.get(def.jsonKey()));
                }
            }
        }

        void attr(Node n, String objPath, String attr, JsonNode value) {
            String path = TreePath.join(objPath, attr);
            if (value == null || value.isNull()) {
                return;
            }
            if (value.isContainerNode()) {
                problem(path, "not a value");
                return;
            }
            String raw = value.asText();
            AttrDef def = n.kind.attr(attr);
            if (def == null) {
                LOG.debug("{}: attribute unknown to this version, kept as is", path);
                n.attrs.put(attr, raw);
                return;
            }
            try {
                n.attrs.put(attr, def.normalizer().normalize(raw));
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ writing

    static String write(Node root) {
        return PythonJson.write(toJson(root));
    }

    static ObjectNode toJson(Node root) {
        ObjectNode doc = F.objectNode();
        String discovery = root.explicit("discovery_nqn");
        if (discovery != null) {
            doc.putObject("discovery").put("nqn", discovery);
        }
        ArrayNode hosts = doc.putArray("hosts");
        for (Node h : root.group(Kind.HOSTS).values()) {
            ObjectNode o = object(h);
            o.put("nqn", h.name);
            hosts.add(o);
        }
        ArrayNode subsystems = doc.putArray("subsystems");
        for (Node s : root.group(Kind.SUBSYSTEMS).values()) {
            ObjectNode o = object(s);
            o.put("nqn", s.name);
            ArrayNode nss = o.putArray("namespaces");
            for (Node ns : s.group(Kind.NAMESPACES).values()) {
                ObjectNode n = object(ns);
                n.put("nsid", Long.parseLong(ns.name));
                String grp = ns.attrs.get("ana_grpid");
                if (grp != null) {
                    n.withObjectProperty("ana").put("grpid", grp);
                }
                nss.add(n);
            }
            ArrayNode allowed = o.putArray("allowed_hosts");
            s.linkSet(Kind.ALLOWED_HOSTS).forEach(allowed::add);
            Node pt = s.fixed.get(Kind.PASSTHRU_DIR);
            if (pt.explicit("device_path") != null) {
                o.putArray("passthru").add(object(pt));
            }
            subsystems.add(o);
        }
        ArrayNode ports = doc.putArray("ports");
        for (Node p : root.group(Kind.PORTS).values()) {
            ObjectNode o = object(p);
            o.put("portid", Integer.parseInt(p.name));
            ArrayNode linked = o.putArray("subsystems");
            p.linkSet(Kind.SUBSYSTEMS).forEach(linked::add);
            ArrayNode refs = o.putArray("referrals");
            for (Node r : p.group(Kind.REFERRALS).values()) {
                ObjectNode ro = object(r);
                ro.put("name", r.name);
                refs.add(ro);
            }
            ArrayNode ana = o.putArray("ana_groups");
            for (Node g : p.group(Kind.ANA_GROUPS).values()) {
                ObjectNode go = object(g);
                go.put("grpid", Integer.parseInt(g.name));
                ana.add(go);
            }
            ports.add(o);
        }
        return doc;
    }

    /** An object's attribute groups, top-level ints and jnvmet extras: only what was written explicitly. */
    private static ObjectNode object(Node n) {
        ObjectNode o = F.objectNode();
        for (String g : DUMPED_GROUPS.get(n.kind)) {
            o.putObject(g);
        }
        for (var e : n.attrs.entrySet()) {
            AttrDef def = n.kind.attr(e.getKey());
            if (def == null) {
                int us = e.getKey().indexOf('_');
                if (us > 0) {
                    o.withObjectProperty(e.getKey().substring(0, us)).put(e.getKey().substring(us + 1), e.getValue());
                }
            } else if (def.topLevelInt()) {
                o.put(def.jsonKey(), Long.parseLong(e.getValue()));
            } else {
                o.withObjectProperty(def.jsonGroup()).put(def.jsonKey(), e.getValue());
            }
        }
        return o;
    }
}
