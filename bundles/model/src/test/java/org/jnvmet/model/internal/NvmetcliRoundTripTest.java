package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.model.PassthruConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files in the format nvmetcli saves load, apply, and export back to the same JSON. */
class NvmetcliRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String fixture(String name) throws IOException {
        try (InputStream in = NvmetcliRoundTripTest.class.getResourceAsStream("/nvmetcli/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ModelStoreImpl store(FakeTarget target, boolean strictNqn) {
        ModelStoreImpl s = new ModelStoreImpl(target, new ModelStoreImpl.Options(null, false, 1000, strictNqn));
        s.start();
        return s;
    }

    @Test
    void everyObjectKindAndAttributeRoundTripsExactly() throws IOException {
        String text = fixture("full.json");
        FakeTarget target = new FakeTarget();
        ModelStoreImpl store = store(target, true);
        store.importJson(text);
        String exported = store.exportJson();
        assertEquals(JSON.readTree(text), JSON.readTree(exported));
        assertEquals(text, exported, "byte-for-byte what nvmetcli's json.dumps(sort_keys=True, indent=2) writes");
        assertNvmetcliTypes(JSON.readTree(exported));

        // and the target got what the file says
        assertEquals("nqn.2014-08.org.example:discovery", target.discoveryNqn);
        SubsystemSpec s1 = target.subsystems.get("nqn.2014-08.org.example:s1");
        assertEquals(new SubsystemSpec("nqn.2014-08.org.example:s1", false, "1.4.1", "a1b2c3d4e5f60718", "jnvmet model",
                "6.8.0", 0x0050c2, 10, 200, 16, List.of("nqn.2014-08.org.example:host2",
                        "nqn.2014-08.org.nvmexpress:uuid:0b8a3b1a-5a4b-4c4b-9d2f-2f2d1c3e4f50")), s1);
        NamespaceSpec ns2 = target.namespaces.get("nqn.2014-08.org.example:s1").get(2);
        assertEquals(new NamespaceSpec(2, "ram:64M", java.util.UUID.fromString("6c0b3e62-7a3f-4d5f-9d59-8f2b5f6f1a02"),
                "00000000000000000000000000000000", 2, false, true, 4096), ns2);
        PortSpec p1 = target.ports.get(1);
        assertEquals("192.168.1.10", p1.address().traddr());
        assertEquals(0x04, p1.address().treq());
        assertEquals(16384, p1.address().inlineDataSize());
        assertEquals(128, p1.address().maxQueueSize());
        assertEquals(2, p1.referrals().size());
        assertEquals(1, p1.referrals().get(1).treq(), "referral r2: treq required is secure channel value 1");
        assertEquals(0x04 | 2, target.ports.get(2).address().treq(), "'not required' keeps the sqflow bit");
        assertEquals(1024, target.ports.get(2).address().maxQueueSize(), "-1: the kernel's NVMET_MAX_QUEUE_SIZE");

        // model-only parts reach listeners through the snapshot
        assertEquals(new PassthruConfig("nqn.2014-08.org.example:s2-passthru", "/dev/nvme0", true, 0, 30000, 1,
                        Set.of(0x80, 0x84)),
                store.snapshot().passthru().get("nqn.2014-08.org.example:s2-passthru"));
        assertEquals("non-optimized", store.snapshot().anaStates().get(1).get(2));
        assertEquals("ffdhe2048", store.snapshot().hosts().get("nqn.2014-08.org.example:host2").dhchapDhgroup());
    }

    @Test
    void aKernelSavedConfigurationLoadsUnchanged() throws IOException {
        FakeTarget target = new FakeTarget();
        ModelStoreImpl store = store(target, true);
        store.importJson(fixture("kernel-save.json"));
        // The unset passthru group ("(null)") is not exported; the attribute this version does not know is kept.
        assertEquals(fixture("kernel-save.expected.json"), store.exportJson());
        assertEquals("0", store.get("subsystems/nqn.2014-08.org.example:kernel/attr_offload"));
        assertTrue(store.snapshot().passthru().isEmpty());
        assertEquals(Set.of(1), target.ports.keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop.json", "tcp.json", "rdma.json", "fc.json"})
    void nvmetcliDocumentedExamplesLoadAndExportTheirContent(String name) throws IOException {
        String text = fixture(name);
        FakeTarget target = new FakeTarget();
        ModelStoreImpl store = store(target, false); // the examples use "testnqn", which only the kernel accepts
        store.importJson(text);
        JsonNode exported = JSON.readTree(store.exportJson());
        assertContains(JSON.readTree(text), exported, "");
        assertNvmetcliTypes(exported);
        assertEquals(List.of("testnqn"), target.ports.values().iterator().next().subsystems());
        assertEquals("/dev/nvme0n1", target.namespaces.get("testnqn").get(1).devicePath());

        // exporting is stable: what was exported imports to the same export
        FakeTarget again = new FakeTarget();
        ModelStoreImpl second = store(again, false);
        second.importJson(store.exportJson());
        assertEquals(store.exportJson(), second.exportJson());
        assertEquals(target.state(), again.state());
    }

    @Test
    void strictNqnRefusesTheExamplesNames() throws IOException {
        ModelStoreImpl store = store(new FakeTarget(), true);
        try {
            store.importJson(fixture("loop.json"));
            fail("testnqn is not an NQN");
        } catch (org.jnvmet.model.ModelValidationException e) {
            assertEquals("hosts/hostnqn", e.problems().get(0).path());
        }
    }

    @Test
    void objectsCreatedThroughTheApiExportInNvmetcliShape() throws IOException {
        ModelStoreImpl store = store(new FakeTarget(), true);
        String s = "subsystems/nqn.2014-08.org.example:api";
        store.edit(e -> {
            e.create("hosts/nqn.2014-08.org.example:h");
            e.create(s);
            e.link(s + "/allowed_hosts/nqn.2014-08.org.example:h");
            e.create(s + "/namespaces/7");
            e.set(s + "/namespaces/7/device_path", "ram:1G");
            e.set(s + "/namespaces/7/enable", "1");
            e.create("ports/4");
            e.set("ports/4/addr_trtype", "loop");
            e.link("ports/4/subsystems/nqn.2014-08.org.example:api");
            e.create("ports/4/referrals/other");
        });
        JsonNode doc = JSON.readTree(store.exportJson());
        assertNvmetcliTypes(doc);
        JsonNode ns = doc.get("subsystems").get(0).get("namespaces").get(0);
        assertEquals(7, ns.get("nsid").intValue());
        assertEquals(1, ns.get("enable").intValue());
        assertEquals("ram:1G", ns.get("device").get("path").textValue());
        assertEquals(36, ns.get("device").get("uuid").textValue().length(), "a namespace gets a UUID at creation");
        assertEquals(1, doc.get("ports").get(0).get("ana_groups").get(0).get("grpid").intValue());
        assertFalse(doc.get("subsystems").get(0).has("passthru"));
    }

    /** What nvmetcli's restore expects: attribute groups of strings; nsid, portid, grpid, enable, ana_grpid ints. */
    static void assertNvmetcliTypes(JsonNode doc) {
        for (String top : List.of("hosts", "subsystems", "ports")) {
            assertTrue(doc.get(top).isArray(), top);
        }
        doc.get("hosts").forEach(h -> assertTrue(h.get("nqn").isTextual()));
        for (JsonNode s : doc.get("subsystems")) {
            assertTrue(s.get("nqn").isTextual());
            assertStringGroup(s.get("attr"));
            s.get("allowed_hosts").forEach(h -> assertTrue(h.isTextual()));
            for (JsonNode ns : s.get("namespaces")) {
                assertTrue(ns.get("nsid").isInt());
                assertIntIfPresent(ns, "enable");
                assertIntIfPresent(ns, "ana_grpid");
                assertStringGroup(ns.get("device"));
            }
            if (s.has("passthru")) {
                assertEquals(1, s.get("passthru").size());
                JsonNode pt = s.get("passthru").get(0);
                assertStringGroup(pt.get("device"));
                for (String k : List.of("enable", "clear_ids", "admin_timeout", "io_timeout")) {
                    assertIntIfPresent(pt, k);
                }
            }
        }
        for (JsonNode p : doc.get("ports")) {
            assertTrue(p.get("portid").isInt());
            assertStringGroup(p.get("addr"));
            assertStringGroup(p.get("param"));
            p.get("subsystems").forEach(n -> assertTrue(n.isTextual()));
            for (JsonNode r : p.get("referrals")) {
                assertTrue(r.get("name").isTextual());
                assertStringGroup(r.get("addr"));
                assertIntIfPresent(r, "enable");
            }
            for (JsonNode a : p.get("ana_groups")) {
                assertTrue(a.get("grpid").isInt());
                assertStringGroup(a.get("ana"));
            }
        }
    }

    private static void assertStringGroup(JsonNode group) {
        assertTrue(group != null && group.isObject(), "attribute group");
        group.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), e.getKey() + " is a string"));
    }

    private static void assertIntIfPresent(JsonNode o, String key) {
        if (o.has(key)) {
            assertTrue(o.get(key).isInt(), key + " is an int");
        }
    }

    /** Every key and value of {@code expected} is in {@code actual} (which may add empty groups and defaults). */
    static void assertContains(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject()) {
            assertTrue(actual != null && actual.isObject(), path + " is an object");
            for (Iterator<String> it = expected.fieldNames(); it.hasNext();) {
                String k = it.next();
                assertContains(expected.get(k), actual.get(k), path + "/" + k);
            }
        } else if (expected.isArray()) {
            assertTrue(actual != null && actual.isArray(), path + " is a list");
            assertEquals(expected.size(), actual.size(), path + " length");
            for (int i = 0; i < expected.size(); i++) {
                assertContains(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
