package org.jnvmet.model.internal;

import static org.jnvmet.model.internal.AttrDef.Frozen.NEVER;
import static org.jnvmet.model.internal.AttrDef.Frozen.WHILE_ENABLED;
import static org.jnvmet.model.internal.AttrDef.Frozen.WHILE_PORT_ENABLED;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnvmet.api.NvmeTarget;

/** The object kinds of the tree and their attributes, child groups, link groups and fixed children. */
enum Kind {
    ROOT, HOST, SUBSYSTEM, NAMESPACE, PASSTHRU, PORT, REFERRAL, ANA_GROUP;

    static final String HOSTS = "hosts";
    static final String SUBSYSTEMS = "subsystems";
    static final String PORTS = "ports";
    static final String NAMESPACES = "namespaces";
    static final String ALLOWED_HOSTS = "allowed_hosts";
    static final String PASSTHRU_DIR = "passthru";
    static final String REFERRALS = "referrals";
    static final String ANA_GROUPS = "ana_groups";
    static final String DEFAULT_ANA_GROUP = "1";

    private static final Map<String, String> TRTYPES = names("rdma", "fc", "tcp", "pci", "loop");
    /** nvmet_addr_family: "pcie" is accepted and shown as "pci" (same type). */
    private static final Map<String, String> ADRFAMS;
    static final List<String> TREQ_NAMES = List.of("not specified", "required", "not required");
    static final List<String> ANA_STATES =
            List.of("optimized", "non-optimized", "inaccessible", "persistent-loss", "change");

    static {
        ADRFAMS = new LinkedHashMap<>();
        ADRFAMS.put("pcie", "pci");
        ADRFAMS.putAll(names("ipv4", "ipv6", "ib", "fc", "pci", "loop"));
    }

    private static Map<String, String> names(String... n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : n) {
            m.put(s, s);
        }
        return m;
    }

    private Map<String, AttrDef> attrs;
    private Map<String, Kind> groups = Map.of();
    private Map<String, String> links = Map.of();
    private Map<String, Kind> fixed = Map.of();

    static {
        ROOT.attrs = defs(new AttrDef("discovery_nqn", NvmeTarget.DEFAULT_DISCOVERY_NQN, Values.NQN_ANY, null,
                null, NEVER));
        ROOT.groups = ordered(HOSTS, HOST, SUBSYSTEMS, SUBSYSTEM, PORTS, PORT);

        HOST.attrs = defs(
                AttrDef.grouped("dhchap_key", "", Values.DHCHAP_KEY_TEXT, NEVER),
                AttrDef.grouped("dhchap_ctrl_key", "", Values.DHCHAP_KEY_TEXT, NEVER),
                AttrDef.grouped("dhchap_hash", "hmac(sha256)",
                        Values.enumeration(false, "hmac(sha256)", "hmac(sha384)", "hmac(sha512)"), NEVER),
                AttrDef.grouped("dhchap_dhgroup", "null", Values.enumeration(false, "null", "ffdhe2048", "ffdhe3072",
                        "ffdhe4096", "ffdhe6144", "ffdhe8192"), NEVER));

        SUBSYSTEM.attrs = defs(
                AttrDef.grouped("attr_allow_any_host", "0", Values.BOOL, NEVER),
                AttrDef.grouped("attr_version", null, Values.VERSION_NUMBER, NEVER),
                AttrDef.grouped("attr_serial", null, Values.ascii(Values.SERIAL_MAX), NEVER),
                AttrDef.grouped("attr_model", "Linux", Values.ascii(Values.MODEL_MAX), NEVER),
                AttrDef.grouped("attr_firmware", null, Values.ascii(Values.FIRMWARE_MAX), NEVER),
                AttrDef.grouped("attr_ieee_oui", "0x000000", Values.hexShown(0xFFFFFF, 6), NEVER),
                AttrDef.grouped("attr_vendor_id", "0x0", Values.hexShown(0xFFFF, 0), NEVER),
                AttrDef.grouped("attr_subsys_vendor_id", "0x0", Values.hexShown(0xFFFF, 0), NEVER),
                AttrDef.grouped("attr_cntlid_min", "1", Values.decimalRange(1, Values.CNTLID_MAX), NEVER),
                AttrDef.grouped("attr_cntlid_max", Integer.toString(Values.CNTLID_MAX),
                        Values.decimalRange(1, Values.CNTLID_MAX), NEVER),
                AttrDef.grouped("attr_qid_max", Integer.toString(Values.QID_MAX), Values.decimalRange(1, Values.QID_MAX),
                        NEVER),
                AttrDef.grouped("attr_tbkas", "0", Values.BOOL, NEVER),
                AttrDef.grouped("attr_pi_enable", "0", Values.BOOL, NEVER));
        SUBSYSTEM.groups = ordered(NAMESPACES, NAMESPACE);
        SUBSYSTEM.links = Map.of(ALLOWED_HOSTS, HOSTS);
        SUBSYSTEM.fixed = Map.of(PASSTHRU_DIR, PASSTHRU);

        NAMESPACE.attrs = defs(
                AttrDef.grouped("device_path", null, Values.PATH, WHILE_ENABLED),
                AttrDef.grouped("device_uuid", null, Values.UUID, WHILE_ENABLED),
                AttrDef.grouped("device_nguid", null, Values.NGUID, WHILE_ENABLED),
                AttrDef.topInt("ana_grpid", "1", Values.autoRange(1, Values.ANA_GROUPS_MAX, false)),
                AttrDef.topInt("enable", "0", Values.BOOL),
                AttrDef.grouped("resv_enable", "0", Values.BOOL, WHILE_ENABLED),
                AttrDef.extra("buffered_io", "0", Values.BOOL, WHILE_ENABLED),
                AttrDef.extra("block_size", "0", Values.enumeration(false, "0", "512", "4096"), WHILE_ENABLED));

        PASSTHRU.attrs = defs(
                AttrDef.grouped("device_path", null, Values.PATH, WHILE_ENABLED),
                AttrDef.topInt("enable", "0", Values.BOOL),
                AttrDef.topInt("admin_timeout", "0", Values.autoRange(0, 0xFFFFFFFFL, false)),
                AttrDef.topInt("io_timeout", "0", Values.autoRange(0, 0xFFFFFFFFL, false)),
                AttrDef.topInt("clear_ids", "0", Values.autoRange(0, 0xFFFFFFFFL, false)),
                AttrDef.extra("allowed_admin_opcodes", "", Values.ADMIN_OPCODES, NEVER),
                // jnvmet extra: 0 = admin_timeout/io_timeout are milliseconds; N = they are jiffies of an HZ=N kernel
                AttrDef.extra("jiffies_hz", "0", Values.autoRange(0, 10000, false), NEVER));

        PORT.attrs = defs(
                AttrDef.grouped("addr_trtype", "", Values.enumeration(TRTYPES, true), WHILE_PORT_ENABLED),
                AttrDef.grouped("addr_adrfam", "", Values.enumeration(ADRFAMS, true), WHILE_PORT_ENABLED),
                AttrDef.grouped("addr_traddr", "", Values.token(Values.TRADDR_MAX), WHILE_PORT_ENABLED),
                AttrDef.grouped("addr_trsvcid", "", Values.token(Values.TRSVCID_MAX), WHILE_PORT_ENABLED),
                AttrDef.grouped("addr_treq", "not specified",
                        Values.enumeration(false, TREQ_NAMES.toArray(String[]::new)), WHILE_PORT_ENABLED),
                AttrDef.grouped("addr_tsas", "", Values.enumeration(true, "none", "tls1.3", "connected", "datagram"),
                        WHILE_PORT_ENABLED),
                AttrDef.grouped("param_inline_data_size", "-1", Values.autoRange(-1, Integer.MAX_VALUE, true),
                        WHILE_PORT_ENABLED),
                AttrDef.grouped("param_max_queue_size", "-1",
                        Values.defaultOrRange(Values.QUEUE_SIZE_MIN, Values.QUEUE_SIZE_MAX), WHILE_PORT_ENABLED),
                AttrDef.grouped("param_mdts", "-1", Values.defaultOrRange(0, 255), WHILE_PORT_ENABLED),
                AttrDef.grouped("param_pi_enable", "0", Values.BOOL, WHILE_PORT_ENABLED));
        PORT.groups = ordered(REFERRALS, REFERRAL, ANA_GROUPS, ANA_GROUP);
        PORT.links = Map.of(SUBSYSTEMS, SUBSYSTEMS);

        REFERRAL.attrs = defs(
                AttrDef.grouped("addr_trtype", "", Values.enumeration(TRTYPES, true), WHILE_ENABLED),
                AttrDef.grouped("addr_adrfam", "", Values.enumeration(ADRFAMS, true), WHILE_ENABLED),
                AttrDef.grouped("addr_traddr", "", Values.token(Values.TRADDR_MAX), WHILE_ENABLED),
                AttrDef.grouped("addr_trsvcid", "", Values.token(Values.TRSVCID_MAX), WHILE_ENABLED),
                AttrDef.grouped("addr_treq", "not specified",
                        Values.enumeration(false, TREQ_NAMES.toArray(String[]::new)), WHILE_ENABLED),
                AttrDef.grouped("addr_portid", "0", Values.autoRange(0, 0xFFFF, false), WHILE_ENABLED),
                AttrDef.topInt("enable", "0", Values.BOOL));

        ANA_GROUP.attrs = defs(AttrDef.grouped("ana_state", "inaccessible",
                Values.enumeration(false, ANA_STATES.toArray(String[]::new)), NEVER));
    }

    private static Map<String, AttrDef> defs(AttrDef... defs) {
        Map<String, AttrDef> m = new LinkedHashMap<>();
        for (AttrDef d : defs) {
            m.put(d.name(), d);
        }
        return m;
    }

    private static Map<String, Kind> ordered(Object... kv) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Kind) kv[i + 1]);
        }
        return m;
    }

    Map<String, AttrDef> attrs() {
        return attrs;
    }

    AttrDef attr(String name) {
        return attrs.get(name);
    }

    /** Child object groups (e.g. namespaces) and the kind of their members. */
    Map<String, Kind> groups() {
        return groups;
    }

    /** Link groups (allowed_hosts, a port's subsystems) and the root group their targets live in. */
    Map<String, String> links() {
        return links;
    }

    /** Children that always exist (a subsystem's passthru). */
    Map<String, Kind> fixed() {
        return fixed;
    }

    /** Objects whose names are numbers, compared numerically. */
    boolean numericName() {
        return this == NAMESPACE || this == PORT || this == ANA_GROUP;
    }
}
