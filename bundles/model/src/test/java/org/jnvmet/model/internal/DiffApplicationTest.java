package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only the objects that changed reach the target, in dependency order, and a refused call undoes the transaction. */
class DiffApplicationTest {
    static final String S1 = "nqn.2014-08.org.example:s1";
    static final String S2 = "nqn.2014-08.org.example:s2-passthru";

    private final FakeTarget target = new FakeTarget();
    private ModelStoreImpl store;
    private final List<ModelEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        store = new ModelStoreImpl(target, ModelStoreImpl.Options.inMemory());
        store.start();
        store.importJson(NvmetcliRoundTripTest.fixture("full.json"));
        store.addListener(events::add);
        events.clear();
        target.takeCalls();
    }

    @Test
    void loadingAConfigurationCallsInDependencyOrder() throws IOException {
        FakeTarget fresh = new FakeTarget();
        ModelStoreImpl s = new ModelStoreImpl(fresh, ModelStoreImpl.Options.inMemory());
        s.start();
        s.importJson(NvmetcliRoundTripTest.fixture("full.json"));
        assertEquals(List.of("setDiscoveryNqn nqn.2014-08.org.example:discovery", "putSubsystem " + S1,
                "putSubsystem " + S2, "putNamespace " + S1 + " 1", "putNamespace " + S1 + " 2",
                "putNamespace " + S1 + " 10", "putPassthru " + S2, "putPort 1", "putPort 2", "putPort 3"),
                fresh.takeCalls());
        // and removing everything goes the other way: ports first, subsystems (with their namespaces) last
        s.importJson("{}");
        assertEquals(List.of("setDiscoveryNqn nqn.2014-08.org.nvmexpress.discovery", "removePort 1", "removePort 2",
                "removePort 3", "removeSubsystem " + S1, "removeSubsystem " + S2), fresh.takeCalls());
        assertEquals("nqn.2014-08.org.nvmexpress.discovery {} {} {}", fresh.state());
    }

    @Test
    void changingAReferralOfOnePortCallsOnlyPutPortForThatPort() {
        store.set("ports/1/referrals/r2/addr_traddr", "fd00::12");
        assertEquals(List.of("putPort 1"), target.takeCalls());
        assertEquals("fd00::12", target.ports.get(1).referrals().get(1).traddr());
        assertEquals(1, events.size());
        assertEquals(java.util.Set.of("ports/1/referrals/r2"), events.get(0).changedObjects());
    }

    @Test
    void addingSubsystemBDoesNotTouchA() {
        SubsystemSpec a = target.subsystems.get(S1);
        String b = "subsystems/nqn.2014-08.org.example:b";
        store.edit(e -> {
            e.create(b);
            e.set(b + "/attr_allow_any_host", "1");
            e.create(b + "/namespaces/1");
            e.set(b + "/namespaces/1/device_path", "ram:16M");
            e.set(b + "/namespaces/1/enable", "1");
            e.link("ports/2/subsystems/nqn.2014-08.org.example:b");
        });
        assertEquals(List.of("putSubsystem nqn.2014-08.org.example:b", "putNamespace nqn.2014-08.org.example:b 1",
                "putPort 2"), target.takeCalls());
        assertEquals(a, target.subsystems.get(S1));
    }

    @Test
    void removingANamespaceRemovesOnlyIt() {
        store.delete("subsystems/" + S1 + "/namespaces/2");
        assertEquals(List.of("removeNamespace " + S1 + " 2"), target.takeCalls());
    }

    @Test
    void anUnchangedValueCallsNothingAndTellsNobody() {
        long generation = store.snapshot().generation();
        store.set("subsystems/" + S1 + "/attr_qid_max", "16");
        assertEquals(List.of(), target.takeCalls());
        assertEquals(generation, store.snapshot().generation());
        assertTrue(events.isEmpty());
    }

    @Test
    void hostAttributesAndAnaStatesAreModelOnly() {
        store.set("hosts/nqn.2014-08.org.example:host2/dhchap_hash", "hmac(sha512)");
        store.set("ports/1/ana_groups/2/ana_state", "inaccessible");
        assertEquals(List.of(), target.takeCalls());
        assertEquals(2, events.size());
        assertEquals(java.util.Set.of("hosts/nqn.2014-08.org.example:host2"), events.get(0).changedObjects());
        assertEquals("inaccessible", events.get(1).after().anaStates().get(1).get(2));
    }

    @Test
    void aRefusedCallRollsBackEverythingAlreadyApplied() throws IOException {
        String tree = store.exportJson();
        String held = target.state();
        target.refuse = c -> c.equals("putPort 2");
        String edited = tree.replace("\"serial\": \"a1b2c3d4e5f60718\"", "\"serial\": \"changed\"")
                .replace("\"path\": \"ram:64M\"", "\"path\": \"ram:128M\"")
                .replace("\"treq\": \"not required\"", "\"treq\": \"required\"");
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> store.importJson(edited));
        assertEquals("ports/2: refused by the fake target", e.getMessage());
        assertEquals(List.of("putSubsystem " + S1, "putNamespace " + S1 + " 2",
                // undone in reverse order
                "putNamespace " + S1 + " 2", "putSubsystem " + S1), target.takeCalls());
        assertEquals(held, target.state(), "the target is back where it was");
        assertEquals(tree, store.exportJson(), "the previous tree stays in force");
        assertTrue(events.isEmpty());

        target.refuse = c -> false;
        store.importJson(edited);
        assertEquals("changed", target.subsystems.get(S1).serial());
    }

    @Test
    void aRefusedRemovalRestoresWhatWasRemovedBeforeIt() {
        String held = target.state();
        target.refuse = c -> c.startsWith("removeSubsystem " + S2);
        assertThrows(TargetConfigException.class, () -> store.edit(e -> {
            e.unlink("ports/1/subsystems/" + S2);
            e.delete("ports/3");
            e.delete("subsystems/" + S2);
        }));
        assertEquals(List.of("removePort 3", "putPort 1", "putPort 1", "putPort 3"), target.takeCalls());
        assertEquals(held, target.state());
    }

    @Test
    void atStartObjectsTheTargetHoldsButTheFileDoesNotAreRemoved() {
        FakeTarget stale = new FakeTarget();
        stale.putSubsystem(SubsystemSpec.of("nqn.2014-08.org.example:left-over"));
        stale.putNamespace("nqn.2014-08.org.example:left-over", NamespaceSpec.of(1, "ram:1M"));
        stale.takeCalls();
        ModelStoreImpl s = new ModelStoreImpl(stale, ModelStoreImpl.Options.inMemory());
        s.start();
        assertEquals(List.of("removeSubsystem nqn.2014-08.org.example:left-over"), stale.takeCalls());
    }

    @Test
    void listenersSeeTheWholeConfigurationWhenAddedThenEachChange() {
        List<ModelEvent> seen = new ArrayList<>();
        store.addListener(seen::add);
        assertEquals(1, seen.size());
        assertEquals(ModelEvent.Source.START, seen.get(0).source());
        assertTrue(seen.get(0).touches("subsystems/" + S2 + "/passthru"));
        assertEquals("/dev/nvme0", seen.get(0).after().passthru().get(S2).devicePath());

        store.edit(e -> {
            e.set("subsystems/" + S2 + "/passthru/enable", "0");
            e.set("subsystems/" + S2 + "/passthru/device_path", "/dev/nvme1");
        });
        ModelEvent ev = seen.get(1);
        assertEquals(ModelEvent.Source.API, ev.source());
        assertEquals(java.util.Set.of("subsystems/" + S2 + "/passthru"), ev.changedObjects());
        assertEquals("/dev/nvme0", ev.before().passthru().get(S2).devicePath());
        assertFalse(ev.after().passthru().get(S2).enabled());
        assertEquals(List.of("putPassthru " + S2), target.takeCalls());
        assertEquals(new org.jnvmet.spi.passthru.PassthruSpec("/dev/nvme1", false, 0, 30000, true,
                java.util.Set.of(0x80, 0x84)), target.passthru.get(S2));
    }
}
