package org.jnvmet.shell;

import static org.jnvmet.shell.fixtures.Fixtures.HOST1;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompletionsTest {
    private ModelStoreImpl store;
    private ModelSnapshot snapshot;

    @BeforeEach
    void setUp() {
        store = Fixtures.store(new RecordingTarget());
        Fixtures.populate(store);
        store.create("ports/1/referrals/r1");
        snapshot = store.snapshot();
    }

    @Test
    void pathsCompleteOneSegmentAtATime() {
        assertEquals(List.of("hosts/", "subsystems/", "ports/"), Completions.paths(snapshot, "", false));
        assertEquals(List.of("discovery_nqn", "hosts/", "subsystems/", "ports/"),
                Completions.paths(snapshot, "sub", true));
        assertEquals(List.of("subsystems/" + S1 + "/"), Completions.paths(snapshot, "subsystems/nq", false));
        String s = "/subsystems/" + S1 + "/";
        assertEquals(List.of(s + "namespaces/", s + "allowed_hosts/", s + "passthru/"),
                Completions.paths(snapshot, s, false));
        assertEquals(List.of(s + "allowed_hosts/" + HOST1), Completions.paths(snapshot, s + "allowed_hosts/", false),
                "a link has nothing below it");
        assertTrue(Completions.paths(snapshot, s, true).contains(s + "attr_serial"));
        assertEquals(List.of(), Completions.paths(snapshot, "subsystems/nqn.2014-08.org.example:none/", false));
    }

    @Test
    void namesAttributesAndSwitchableObjects() {
        assertEquals(List.of(S1), Completions.subsystems(snapshot));
        assertEquals(List.of(HOST1), Completions.hosts(snapshot));
        assertEquals(List.of("1"), Completions.ports(snapshot));
        assertEquals(List.of("addr_trtype", "addr_adrfam", "addr_traddr", "addr_trsvcid", "addr_treq",
                "addr_portid", "enable"), Completions.attributes(snapshot, "ports/1/referrals/r1"));
        assertEquals(List.of(), Completions.attributes(snapshot, "ports"));
        assertEquals(List.of("subsystems/" + S1 + "/namespaces/1", "subsystems/" + S1 + "/passthru",
                "ports/1/referrals/r1"), Completions.switchable(snapshot));
    }
}
