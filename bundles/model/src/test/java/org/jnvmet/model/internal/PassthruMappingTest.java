package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A subsystem's passthru group reaches the target as putPassthru / removePassthru, ordered around namespaces. */
class PassthruMappingTest {
    static final String S1 = "nqn.2014-08.org.example:s1";
    static final String S2 = "nqn.2014-08.org.example:s2-passthru";
    static final String PT = "subsystems/" + S2 + "/passthru";

    private final FakeTarget target = new FakeTarget();
    private ModelStoreImpl store;

    @BeforeEach
    void setUp() throws IOException {
        store = new ModelStoreImpl(target, ModelStoreImpl.Options.inMemory());
        store.start();
        store.importJson(NvmetcliRoundTripTest.fixture("full.json"));
        target.takeCalls();
    }

    @Test
    void theFixturesGroupMapsToASpecInMilliseconds() {
        // full.json: enable 1, admin_timeout 0, io_timeout 30000, clear_ids 1, opt-in Format and Sanitize
        assertEquals(new PassthruSpec("/dev/nvme0", true, 0, 30000, true, Set.of(0x80, 0x84)), target.passthru.get(S2));
    }

    @Test
    void jiffiesOfAKernelDumpAreConvertedWithItsHz() {
        store.edit(e -> {
            e.set(PT + "/jiffies_hz", "250");
            e.set(PT + "/admin_timeout", "15000");
            e.set(PT + "/io_timeout", "7501");
        });
        assertEquals(List.of("putPassthru " + S2), target.takeCalls());
        PassthruSpec spec = target.passthru.get(S2);
        assertEquals(60_000, spec.adminTimeoutMs(), "15000 jiffies at HZ=250");
        assertEquals(30_004, spec.ioTimeoutMs(), "rounded up to whole milliseconds");
        assertEquals("250", store.get(PT + "/jiffies_hz"));
    }

    @Test
    void switchingToNamespacesDisablesPassthruBeforeAddingThem() {
        store.edit(e -> {
            e.set(PT + "/enable", "0");
            e.create("subsystems/" + S2 + "/namespaces/1");
            e.set("subsystems/" + S2 + "/namespaces/1/device_path", "ram:1M");
        });
        assertEquals(List.of("putPassthru " + S2, "putNamespace " + S2 + " 1"), target.takeCalls());
        assertEquals(false, target.passthru.get(S2).enable());
    }

    @Test
    void switchingToPassthruRemovesNamespacesBeforeEnablingIt() {
        store.edit(e -> {
            e.set(PT + "/enable", "0");
            e.create("subsystems/" + S2 + "/namespaces/1");
        });
        target.takeCalls();
        store.edit(e -> {
            e.delete("subsystems/" + S2 + "/namespaces/1");
            e.set(PT + "/enable", "1");
        });
        assertEquals(List.of("removeNamespace " + S2 + " 1", "putPassthru " + S2), target.takeCalls());
    }

    @Test
    void aConfigurationWithoutTheGroupRemovesIt() throws IOException {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(store.exportJson());
        for (JsonNode sub : doc.get("subsystems")) {
            if (sub.get("nqn").asText().equals(S2)) {
                ((ObjectNode) sub).remove("passthru");
            }
        }
        store.importJson(doc.toString());
        assertEquals(List.of("removePassthru " + S2), target.takeCalls());
        assertEquals(null, target.passthru.get(S2));
    }

    @Test
    void aRefusedPassthruRollsTheTransactionBack() {
        String held = target.state();
        PassthruSpec before = target.passthru.get(S2);
        target.refuse = c -> c.equals("putPassthru " + S2);
        assertThrows(TargetConfigException.class, () -> store.edit(e -> {
            e.set("subsystems/" + S1 + "/attr_serial", "other");
            e.set(PT + "/io_timeout", "5");
        }));
        assertEquals(List.of("putSubsystem " + S1, "putSubsystem " + S1), target.takeCalls());
        assertEquals(held, target.state());
        assertEquals(before, target.passthru.get(S2));
        assertEquals("30000", store.get(PT + "/io_timeout"), "the previous tree stays in force");
    }

    @Test
    void removingTheSubsystemTakesItsPassthruAlong() {
        store.unlink("ports/1/subsystems/" + S2);
        target.takeCalls();
        store.delete("subsystems/" + S2);
        assertEquals(List.of("removeSubsystem " + S2), target.takeCalls());
        assertEquals(null, target.passthru.get(S2));
    }
}
