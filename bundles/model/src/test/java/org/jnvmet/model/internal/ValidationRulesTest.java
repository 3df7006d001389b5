package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** One test per configfs rule: the change is refused with a message naming object and field, and nothing changes. */
class ValidationRulesTest {
    static final String S1 = "nqn.2014-08.org.example:s1";
    static final String H1 = "nqn.2014-08.org.example:h1";
    static final String SUB = "subsystems/" + S1;

    private final FakeTarget target = new FakeTarget();
    private ModelStoreImpl store;

    @BeforeEach
    void setUp() {
        store = new ModelStoreImpl(target, ModelStoreImpl.Options.inMemory());
        store.start();
        store.create(SUB);
        target.takeCalls();
    }

    private void refused(String expected, Executable change) {
        target.takeCalls();
        String before = store.exportJson();
        String targetBefore = target.state();
        TargetConfigException e = assertThrows(TargetConfigException.class, change);
        assertEquals(expected, e.getMessage());
        assertEquals(before, store.exportJson(), "the tree in force must not change");
        assertEquals(targetBefore, target.state(), "the target must not change");
        assertEquals(List.of(), target.takeCalls());
    }

    private void tcpPort(String id, String addr, String svc) {
        store.edit(e -> {
            e.create("ports/" + id);
            e.set("ports/" + id + "/addr_trtype", "tcp");
            e.set("ports/" + id + "/addr_adrfam", "ipv4");
            e.set("ports/" + id + "/addr_traddr", addr);
            e.set("ports/" + id + "/addr_trsvcid", svc);
        });
    }

    // ---- subsystem attributes

    @Test
    void serialLongerThan20() {
        refused(SUB + "/attr_serial: longer than 20 characters", () -> store.set(SUB + "/attr_serial", "x".repeat(21)));
        store.set(SUB + "/attr_serial", "x".repeat(20));
        assertEquals("x".repeat(20), store.get(SUB + "/attr_serial"));
    }

    @Test
    void serialPrintableAsciiOnly() {
        refused(SUB + "/attr_serial: contains a character that is not printable ASCII",
                () -> store.set(SUB + "/attr_serial", "abc\u00e9"));
        refused(SUB + "/attr_serial: contains a character that is not printable ASCII",
                () -> store.set(SUB + "/attr_serial", "ab\tc"));
    }

    @Test
    void serialNotEmpty() {
        refused(SUB + "/attr_serial: empty", () -> store.set(SUB + "/attr_serial", ""));
    }

    @Test
    void modelAtMost40() {
        refused(SUB + "/attr_model: longer than 40 characters", () -> store.set(SUB + "/attr_model", "m".repeat(41)));
        store.set(SUB + "/attr_model", "m".repeat(40));
    }

    @Test
    void firmwareAtMost8() {
        refused(SUB + "/attr_firmware: longer than 8 characters", () -> store.set(SUB + "/attr_firmware", "123456789"));
        store.set(SUB + "/attr_firmware", "12345678");
    }

    @Test
    void cntlidRange() {
        refused(SUB + "/attr_cntlid_min: must be 1..65519", () -> store.set(SUB + "/attr_cntlid_min", "0"));
        refused(SUB + "/attr_cntlid_max: must be 1..65519", () -> store.set(SUB + "/attr_cntlid_max", "65520"));
        refused(SUB + "/attr_cntlid_min: not a decimal number", () -> store.set(SUB + "/attr_cntlid_min", "0x10"));
        store.set(SUB + "/attr_cntlid_max", "65519");
    }

    @Test
    void cntlidMinNotAboveMax() {
        store.set(SUB + "/attr_cntlid_max", "10");
        refused(SUB + "/attr_cntlid_min: greater than attr_cntlid_max (10)",
                () -> store.set(SUB + "/attr_cntlid_min", "11"));
        store.set(SUB + "/attr_cntlid_min", "10");
    }

    @Test
    void qidMaxRange() {
        refused(SUB + "/attr_qid_max: must be 1..128", () -> store.set(SUB + "/attr_qid_max", "0"));
        refused(SUB + "/attr_qid_max: must be 1..128", () -> store.set(SUB + "/attr_qid_max", "129"));
        store.set(SUB + "/attr_qid_max", "1");
    }

    @Test
    void versionFormat() {
        String msg = SUB + "/attr_version: not a version (expected major.minor[.tertiary], e.g. 1.3)";
        refused(msg, () -> store.set(SUB + "/attr_version", "1"));
        refused(msg, () -> store.set(SUB + "/attr_version", "1.3.x"));
        refused(SUB + "/attr_version: version part out of range (major 0..65535, minor and tertiary 0..255)",
                () -> store.set(SUB + "/attr_version", "1.256"));
        store.set(SUB + "/attr_version", "1.3.0");
        assertEquals("1.3", store.get(SUB + "/attr_version"), "shown like the kernel: no zero tertiary");
        store.set(SUB + "/attr_version", "2.0.1");
        assertEquals("2.0.1", store.get(SUB + "/attr_version"));
    }

    @Test
    void ieeeOuiIs24Bits() {
        refused(SUB + "/attr_ieee_oui: must be 0..16777215", () -> store.set(SUB + "/attr_ieee_oui", "0x1000000"));
        store.set(SUB + "/attr_ieee_oui", "0x1b");
        assertEquals("0x00001b", store.get(SUB + "/attr_ieee_oui"));
    }

    @Test
    void booleanValues() {
        refused(SUB + "/attr_allow_any_host: not a boolean (use 1 or 0)",
                () -> store.set(SUB + "/attr_allow_any_host", "maybe"));
        store.set(SUB + "/attr_allow_any_host", "y");
        assertEquals("1", store.get(SUB + "/attr_allow_any_host"));
    }

    @Test
    void unknownAttribute() {
        refused(SUB + "/attr_colour: no such attribute", () -> store.set(SUB + "/attr_colour", "blue"));
    }

    // ---- hosts and allowed hosts

    @Test
    void allowAnyHostRefusedWhileHostsAreLinked() {
        store.create("hosts/" + H1);
        store.link(SUB + "/allowed_hosts/" + H1);
        refused(SUB + "/attr_allow_any_host: refused while allowed_hosts has links",
                () -> store.set(SUB + "/attr_allow_any_host", "1"));
    }

    @Test
    void allowAnyHostAndLinksInOneImportNameTheAttribute() {
        String json = "{\"hosts\":[{\"nqn\":\"" + H1 + "\"}],\"subsystems\":[{\"nqn\":\"" + S1
                + "\",\"attr\":{\"allow_any_host\":\"1\"},\"allowed_hosts\":[\"" + H1 + "\"]}]}";
        refused(SUB + "/attr_allow_any_host: refused while allowed_hosts has links", () -> store.importJson(json));
    }

    @Test
    void linkRefusedWhileAllowAnyHost() {
        store.create("hosts/" + H1);
        store.set(SUB + "/attr_allow_any_host", "1");
        refused(SUB + "/allowed_hosts/" + H1 + ": cannot link hosts while attr_allow_any_host is 1",
                () -> store.link(SUB + "/allowed_hosts/" + H1));
    }

    @Test
    void allowedHostMustExist() {
        refused(SUB + "/allowed_hosts/" + H1 + ": no such host (create hosts/" + H1 + " first)",
                () -> store.link(SUB + "/allowed_hosts/" + H1));
        String json = "{\"subsystems\":[{\"nqn\":\"" + S1 + "\",\"allowed_hosts\":[\"" + H1 + "\"]}]}";
        refused(SUB + "/allowed_hosts/" + H1 + ": no such host (create hosts/" + H1 + " first)",
                () -> store.importJson(json));
    }

    @Test
    void hostStillLinkedCannotBeDeleted() {
        store.create("hosts/" + H1);
        store.link(SUB + "/allowed_hosts/" + H1);
        refused("hosts/" + H1 + ": still linked from " + SUB + "/allowed_hosts", () -> store.delete("hosts/" + H1));
    }

    @Test
    void dhchapAttributes() {
        store.create("hosts/" + H1);
        refused("hosts/" + H1 + "/dhchap_hash: unknown value 'md5' (one of: hmac(sha256), hmac(sha384), hmac(sha512))",
                () -> store.set("hosts/" + H1 + "/dhchap_hash", "md5"));
        refused("hosts/" + H1 + "/dhchap_dhgroup: unknown value 'ffdhe1024' (one of: null, ffdhe2048, ffdhe3072, "
                + "ffdhe4096, ffdhe6144, ffdhe8192)", () -> store.set("hosts/" + H1 + "/dhchap_dhgroup", "ffdhe1024"));
        refused("hosts/" + H1 + "/dhchap_key: not a DH-HMAC-CHAP secret (expected DHHC-1:<hash id>:<base64>:)",
                () -> store.set("hosts/" + H1 + "/dhchap_key", "secret"));
        store.set("hosts/" + H1 + "/dhchap_key", "DHHC-1:00:ia6zGodOr4SEG0Zzaw398rpY0wqipUWj4jWjUh4HWUz6aQ2n:");
        assertEquals("hmac(sha256)", store.snapshot().hosts().get(H1).dhchapHash());
    }

    // ---- NQNs

    @Test
    void nqnSyntax() {
        refused("subsystems/testnqn: not a valid NQN (expected nqn.yyyy-mm.<reverse domain>[:<name>] or "
                + "nqn.2014-08.org.nvmexpress:uuid:<uuid>)", () -> store.create("subsystems/testnqn"));
        refused("hosts/nqn.2014-13.org.example:h: not a valid NQN (expected nqn.yyyy-mm.<reverse domain>[:<name>] "
                + "or nqn.2014-08.org.nvmexpress:uuid:<uuid>)", () -> store.create("hosts/nqn.2014-13.org.example:h"));
        refused("hosts/nqn.2014-08.org.nvmexpress:uuid:1234: not a valid NQN (nqn.2014-08.org.nvmexpress:uuid: "
                + "must be followed by a UUID)", () -> store.create("hosts/nqn.2014-08.org.nvmexpress:uuid:1234"));
        store.create("hosts/nqn.2014-08.org.nvmexpress:uuid:0b8a3b1a-5a4b-4c4b-9d2f-2f2d1c3e4f50");
    }

    @Test
    void nqnAtMost223Bytes() {
        String prefix = "nqn.2014-08.org.example:";
        String ok = prefix + "a".repeat(223 - prefix.length());
        store.create("subsystems/" + ok);
        String tooLong = prefix + "a".repeat(224 - prefix.length());
        refused("subsystems/" + tooLong + ": NQN longer than 223 bytes", () -> store.create("subsystems/" + tooLong));
        // bytes, not characters: 'é' takes two
        String multiByte = prefix + "\u00e9".repeat(100);
        refused("subsystems/" + multiByte + ": NQN longer than 223 bytes",
                () -> store.create("subsystems/" + multiByte));
    }

    @Test
    void kernelNqnSyntaxAcceptsAnyName() {
        ModelStoreImpl lenient = new ModelStoreImpl(new FakeTarget(), new ModelStoreImpl.Options(null, false, 1000,
                false));
        lenient.start();
        lenient.create("subsystems/testnqn");
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> lenient.create("subsystems/a b"));
        assertEquals("subsystems/a b: NQN contains whitespace, a control character or '/'", e.getMessage());
    }

    @Test
    void discoveryNqnCannotNameASubsystem() {
        refused("subsystems/nqn.2014-08.org.nvmexpress.discovery: the discovery NQN cannot name a subsystem",
                () -> store.create("subsystems/nqn.2014-08.org.nvmexpress.discovery"));
        // renaming the discovery service to an existing subsystem's NQN names that subsystem
        refused(SUB + ": the discovery NQN cannot name a subsystem", () -> store.set("discovery_nqn", S1));
    }

    // ---- namespaces

    @Test
    void nsidRange() {
        String msg = ": nsid must be 1..4294967294 (0xFFFFFFFE)";
        refused(SUB + "/namespaces/0" + msg, () -> store.create(SUB + "/namespaces/0"));
        refused(SUB + "/namespaces/4294967295" + msg, () -> store.create(SUB + "/namespaces/4294967295"));
        refused(SUB + "/namespaces/abc: nsid must be a decimal number without leading zeros",
                () -> store.create(SUB + "/namespaces/abc"));
        refused(SUB + "/namespaces/01: nsid must be a decimal number without leading zeros",
                () -> store.create(SUB + "/namespaces/01"));
        store.create(SUB + "/namespaces/4294967294");
        assertTrue(target.namespaces.get(S1).containsKey((int) 4294967294L));
    }

    @Test
    void atMost1024Namespaces() {
        StringBuilder json = new StringBuilder("{\"subsystems\":[{\"nqn\":\"" + S1 + "\",\"namespaces\":[");
        for (int i = 1; i <= 1025; i++) {
            json.append(i > 1 ? "," : "").append("{\"nsid\":").append(i).append('}');
        }
        json.append("]}]}");
        refused(SUB + "/namespaces: more than 1024 namespaces", () -> store.importJson(json.toString()));
        store.importJson(json.toString().replace(",{\"nsid\":1025}", ""));
        assertEquals(1024, store.list(SUB + "/namespaces").size());
    }

    @Test
    void namespaceEnableNeedsDevicePath() {
        store.create(SUB + "/namespaces/1");
        refused(SUB + "/namespaces/1/device_path: required to enable the namespace",
                () -> store.set(SUB + "/namespaces/1/enable", "1"));
    }

    @Test
    void namespaceDeviceFrozenWhileEnabled() {
        store.edit(e -> {
            e.create(SUB + "/namespaces/1");
            e.set(SUB + "/namespaces/1/device_path", "ram:64M");
            e.set(SUB + "/namespaces/1/enable", "1");
        });
        refused(SUB + "/namespaces/1/device_path: namespace is enabled (set enable to 0 first)",
                () -> store.set(SUB + "/namespaces/1/device_path", "/dev/sdb"));
        refused(SUB + "/namespaces/1/device_nguid: namespace is enabled (set enable to 0 first)",
                () -> store.set(SUB + "/namespaces/1/device_nguid", "00112233-4455-6677-8899-aabbccddeeff"));
        store.edit(e -> {
            e.set(SUB + "/namespaces/1/enable", "0");
            e.set(SUB + "/namespaces/1/device_path", "/dev/sdb");
            e.set(SUB + "/namespaces/1/enable", "1");
        });
    }

    @Test
    void anaGroupIdRange() {
        store.create(SUB + "/namespaces/1");
        refused(SUB + "/namespaces/1/ana_grpid: must be 1..128", () -> store.set(SUB + "/namespaces/1/ana_grpid", "0"));
        refused(SUB + "/namespaces/1/ana_grpid: must be 1..128",
                () -> store.set(SUB + "/namespaces/1/ana_grpid", "129"));
        store.set(SUB + "/namespaces/1/ana_grpid", "128");
    }

    @Test
    void uuidAndNguidFormats() {
        store.create(SUB + "/namespaces/1");
        refused(SUB + "/namespaces/1/device_uuid: not a UUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                () -> store.set(SUB + "/namespaces/1/device_uuid", "1-2-3-4-5"));
        refused(SUB + "/namespaces/1/device_nguid: not an NGUID (expected 16 hex bytes, e.g. a UUID)",
                () -> store.set(SUB + "/namespaces/1/device_nguid", "0011"));
        store.set(SUB + "/namespaces/1/device_nguid", "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
        assertEquals("00112233-4455-6677-8899-aabbccddeeff", store.get(SUB + "/namespaces/1/device_nguid"));
    }

    // ---- passthru

    @Test
    void passthruRefusedWhileNamespacesExist() {
        store.create(SUB + "/namespaces/1");
        store.set(SUB + "/passthru/device_path", "/dev/nvme0");
        refused(SUB + "/passthru/enable: the subsystem has namespaces; passthru and namespaces are mutually exclusive",
                () -> store.set(SUB + "/passthru/enable", "1"));
    }

    @Test
    void namespacesRefusedWhilePassthruEnabled() {
        store.edit(e -> {
            e.set(SUB + "/passthru/device_path", "/dev/nvme0");
            e.set(SUB + "/passthru/enable", "1");
        });
        refused(SUB + "/namespaces/1: passthru is enabled; passthru and namespaces are mutually exclusive",
                () -> store.create(SUB + "/namespaces/1"));
    }

    @Test
    void passthruEnableNeedsDevicePath() {
        refused(SUB + "/passthru/device_path: required to enable passthru", () -> store.set(SUB + "/passthru/enable", "1"));
    }

    @Test
    void passthruDevicePathFrozenWhileEnabled() {
        store.edit(e -> {
            e.set(SUB + "/passthru/device_path", "/dev/nvme0");
            e.set(SUB + "/passthru/enable", "1");
        });
        refused(SUB + "/passthru/device_path: passthru is enabled (set enable to 0 first)",
                () -> store.set(SUB + "/passthru/device_path", "/dev/nvme1"));
        refused(SUB + "/passthru/io_timeout: must be 0..4294967295",
                () -> store.set(SUB + "/passthru/io_timeout", "-1"));
    }

    @Test
    void passthruAdminOpcodeOptIns() {
        refused(SUB + "/passthru/allowed_admin_opcodes: admin opcode 0x06 cannot be allowed (only 0x10 Firmware "
                + "Commit, 0x11 Firmware Image Download, 0x80 Format NVM, 0x84 Sanitize)",
                () -> store.set(SUB + "/passthru/allowed_admin_opcodes", "0x80,6"));
        store.set(SUB + "/passthru/allowed_admin_opcodes", "132, 0x80");
        assertEquals("0x80,0x84", store.get(SUB + "/passthru/allowed_admin_opcodes"));
    }

    // ---- ports

    @Test
    void portAddressFrozenWhileEnabled() {
        tcpPort("1", "127.0.0.1", "4420");
        store.link("ports/1/subsystems/" + S1);
        refused("ports/1/addr_traddr: port is enabled (unlink its subsystems to change it)",
                () -> store.set("ports/1/addr_traddr", "10.0.0.1"));
        refused("ports/1/param_inline_data_size: port is enabled (unlink its subsystems to change it)",
                () -> store.set("ports/1/param_inline_data_size", "8192"));
        store.unlink("ports/1/subsystems/" + S1);
        store.set("ports/1/addr_traddr", "10.0.0.1");
    }

    @Test
    void maxQueueSizeRange() {
        store.create("ports/1");
        String msg = "ports/1/param_max_queue_size: must be 16..1024 (or -1 for the transport default)";
        refused(msg, () -> store.set("ports/1/param_max_queue_size", "15"));
        refused(msg, () -> store.set("ports/1/param_max_queue_size", "1025"));
        store.set("ports/1/param_max_queue_size", "16");
        store.set("ports/1/param_max_queue_size", "1024");
        store.set("ports/1/param_max_queue_size", "-1");
    }

    @Test
    void trtypeAndAdrfamEnumerations() {
        store.create("ports/1");
        refused("ports/1/addr_trtype: unknown value 'udp' (one of: rdma, fc, tcp, pci, loop)",
                () -> store.set("ports/1/addr_trtype", "udp"));
        refused("ports/1/addr_adrfam: unknown value 'ipx' (one of: pci, ipv4, ipv6, ib, fc, loop)",
                () -> store.set("ports/1/addr_adrfam", "ipx"));
        store.set("ports/1/addr_adrfam", "pcie");
        assertEquals("pci", store.get("ports/1/addr_adrfam"), "the kernel shows pcie as pci");
    }

    @Test
    void treqValues() {
        store.create("ports/1");
        refused("ports/1/addr_treq: unknown value 'maybe' (one of: not specified, required, not required)",
                () -> store.set("ports/1/addr_treq", "maybe"));
        store.set("ports/1/addr_treq", "not required");
    }

    @Test
    void enabledPortNeedsTransportType() {
        store.create("ports/1");
        refused("ports/1/addr_trtype: required while subsystems are linked",
                () -> store.link("ports/1/subsystems/" + S1));
    }

    @Test
    void enabledTcpPortNeedsAnIpAddress() {
        store.edit(e -> {
            e.create("ports/1");
            e.set("ports/1/addr_trtype", "tcp");
            e.set("ports/1/addr_adrfam", "ipv4");
            e.set("ports/1/addr_traddr", "300.1.1.1");
            e.set("ports/1/addr_trsvcid", "4420");
        });
        refused("ports/1/addr_traddr: not an ipv4 address", () -> store.link("ports/1/subsystems/" + S1));
        store.set("ports/1/addr_traddr", "192.168.1.1");
        store.set("ports/1/addr_trsvcid", "http");
        refused("ports/1/addr_trsvcid: must be a port number 0..65535 for tcp",
                () -> store.link("ports/1/subsystems/" + S1));
        store.set("ports/1/addr_trsvcid", "4420");
        store.set("ports/1/addr_adrfam", "ib");
        refused("ports/1/addr_adrfam: must be ipv4 or ipv6 for tcp while subsystems are linked",
                () -> store.link("ports/1/subsystems/" + S1));
    }

    @Test
    void twoEnabledPortsCannotShareAnAddress() {
        tcpPort("1", "127.0.0.1", "4420");
        tcpPort("2", "127.0.0.1", "4420");
        store.link("ports/1/subsystems/" + S1);
        refused("ports/2/addr_trsvcid: same address as ports/1 (127.0.0.1:4420)",
                () -> store.link("ports/2/subsystems/" + S1));
    }

    @Test
    void linkedSubsystemMustExist() {
        tcpPort("1", "127.0.0.1", "4420");
        refused("ports/1/subsystems/nqn.2014-08.org.example:nope: no such subsystem (create "
                + "subsystems/nqn.2014-08.org.example:nope first)",
                () -> store.link("ports/1/subsystems/nqn.2014-08.org.example:nope"));
        String json = "{\"ports\":[{\"portid\":1,\"addr\":{\"trtype\":\"loop\"},\"subsystems\":[\"" + S1 + "\"]}]}";
        refused("ports/1/subsystems/" + S1 + ": no such subsystem", () -> store.importJson(json));
    }

    @Test
    void linkedSubsystemCannotBeDeleted() {
        tcpPort("1", "127.0.0.1", "4420");
        store.link("ports/1/subsystems/" + S1);
        refused(SUB + ": still linked from ports/1/subsystems", () -> store.delete(SUB));
    }

    @Test
    void tsasMustFitTheTransport() {
        store.create("ports/1");
        store.set("ports/1/addr_trtype", "loop");
        refused("ports/1/addr_tsas: 'none' does not apply to addr_trtype 'loop'",
                () -> store.set("ports/1/addr_tsas", "none"));
        store.set("ports/1/addr_trtype", "tcp");
        refused("ports/1/addr_tsas: tls1.3 is not supported by this target",
                () -> store.set("ports/1/addr_tsas", "tls1.3"));
        store.set("ports/1/addr_tsas", "none");
    }

    @Test
    void portIdRange() {
        refused("ports/65536: portid must be 0..65535", () -> store.create("ports/65536"));
        store.create("ports/65535");
    }

    // ---- ANA groups and referrals

    @Test
    void anaGroups() {
        store.create("ports/1");
        refused("ports/1/ana_groups/1: already exists", () -> store.create("ports/1/ana_groups/1"));
        refused("ports/1/ana_groups/129: grpid must be 2..128 (group 1 always exists)",
                () -> store.create("ports/1/ana_groups/129"));
        refused("ports/1/ana_groups/1: the default ANA group cannot be deleted",
                () -> store.delete("ports/1/ana_groups/1"));
        refused("ports/1/ana_groups/1/ana_state: unknown value 'fast' (one of: optimized, non-optimized, "
                + "inaccessible, persistent-loss, change)", () -> store.set("ports/1/ana_groups/1/ana_state", "fast"));
        store.create("ports/1/ana_groups/2");
        assertEquals("optimized", store.get("ports/1/ana_groups/1/ana_state"));
        assertEquals("inaccessible", store.get("ports/1/ana_groups/2/ana_state"));
    }

    @Test
    void referrals() {
        store.create("ports/1");
        store.create("ports/1/referrals/r1");
        refused("ports/1/referrals/r1/addr_trtype: required to enable the referral",
                () -> store.set("ports/1/referrals/r1/enable", "1"));
        refused("ports/1/referrals/r1/addr_portid: must be 0..65535",
                () -> store.set("ports/1/referrals/r1/addr_portid", "65536"));
        store.edit(e -> {
            e.set("ports/1/referrals/r1/addr_trtype", "tcp");
            e.set("ports/1/referrals/r1/enable", "1");
        });
        refused("ports/1/referrals/r1/addr_traddr: referral is enabled (set enable to 0 first)",
                () -> store.set("ports/1/referrals/r1/addr_traddr", "10.0.0.2"));
    }

    @Test
    void tokenAttributesHaveNoWhitespaceAndBoundedLength() {
        store.create("ports/1");
        refused("ports/1/addr_traddr: contains whitespace or a non-ASCII character",
                () -> store.set("ports/1/addr_traddr", "10.0.0.1 x"));
        refused("ports/1/addr_trsvcid: longer than 31 characters",
                () -> store.set("ports/1/addr_trsvcid", "1".repeat(32)));
    }

    // ---- transactions

    @Test
    void everyProblemOfATransactionIsReported() {
        String json = "{\"subsystems\":[{\"nqn\":\"" + S1 + "\",\"attr\":{\"serial\":\"" + "s".repeat(21)
                + "\",\"qid_max\":\"0\"}}]}";
        ModelValidationException e = assertThrows(ModelValidationException.class, () -> store.importJson(json));
        // in the order the document holds them
        assertEquals(List.of(SUB + "/attr_serial: longer than 20 characters", SUB + "/attr_qid_max: must be 1..128"),
                e.problems().stream().map(Object::toString).toList());
        assertEquals(SUB + "/attr_serial: longer than 20 characters (and 1 more)", e.getMessage());
        assertEquals(SUB + "/attr_serial", e.field());
    }

    @Test
    void aFailingStepUndoesTheWholeEdit() {
        refused(SUB + "/attr_qid_max: must be 1..128", () -> store.edit(e -> {
            e.set(SUB + "/attr_serial", "fine");
            e.create(SUB + "/namespaces/1");
            e.set(SUB + "/attr_qid_max", "0");
        }));
    }
}
