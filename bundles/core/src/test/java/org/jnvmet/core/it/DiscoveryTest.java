package org.jnvmet.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.host.HostController;
import org.jnvmet.host.IdentifyControllerData;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discovery controller over the loopback transport, read the way nvme-cli's discover does. */
class DiscoveryTest {
    private static final String OTHERS = "nqn.2024-01.org.jnvmet:it-others-only";
    private static final String MINE = "nqn.2024-01.org.jnvmet:it-mine-too";

    @TempDir
    Path dir;
    private LoopTarget target;

    @BeforeEach
    void start() {
        target = new LoopTarget(dir, 1L << 20, 1L << 20);
    }

    @AfterEach
    void stop() {
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    @Test
    void theLogListsTheSubsystemsOfThePortThisHostMayUse() throws Exception {
        DiscoveryLog first = target.host.discover(target.transport());
        assertEquals(0, first.recfmt());
        // like current Linux: the current discovery subsystem first (subtype 3), then the NVM subsystems
        assertEquals(2, first.numrec(), first.entries().toString());
        DiscoveryLogEntry self = first.entries().get(0);
        assertEquals(DiscoveryLogPage.SUBTYPE_CURRENT_DISCOVERY, self.subtype());
        assertEquals(NvmeHost.DISCOVERY_NQN, self.subnqn());
        assertEquals(LoopTarget.PORT, self.portId());
        DiscoveryLogEntry e = first.entries().get(1);
        assertEquals(DiscoveryLogPage.TRTYPE_LOOP, e.trtype());
        assertEquals(DiscoveryLogPage.ADRFAM_LOOP, e.adrfam());
        assertEquals(DiscoveryLogPage.SUBTYPE_NVME, e.subtype());
        assertEquals(DiscoveryLogPage.TREQ_DISABLE_SQFLOW, e.treq());
        assertEquals(LoopTarget.PORT, e.portId());
        assertEquals(0xFFFF, e.cntlid());
        assertEquals(32, e.asqsz());
        assertEquals(LoopTarget.NQN, e.subnqn());

        // a subsystem for another host only, and one that also lists this host
        target.core.putSubsystem(SubsystemSpec.of(OTHERS).withAllowedHosts(false, List.of("nqn.2014-08.org.x:y")));
        target.core.putSubsystem(SubsystemSpec.of(MINE).withAllowedHosts(false, List.of(target.host.hostNqn())));
        target.core.putPort(PortSpec.loop(LoopTarget.PORT, List.of(LoopTarget.NQN, OTHERS, MINE)));
        DiscoveryLog second = target.host.discover(target.transport());
        assertTrue(second.genctr() > first.genctr(), "GENCTR moves when the port's subsystems change");
        assertEquals(List.of(LoopTarget.NQN, MINE), nvmSubsystems(second));

        NvmeHost stranger = NvmeHost.random();
        try {
            DiscoveryLog theirs = stranger.discover(target.transport());
            assertEquals(List.of(LoopTarget.NQN), nvmSubsystems(theirs));
        } finally {
            stranger.close();
        }
        assertEquals(List.of(), target.core.controllers(), "discover disconnects");
    }

    private static List<String> nvmSubsystems(DiscoveryLog log) {
        return log.entries().stream().filter(e -> e.subtype() == DiscoveryLogPage.SUBTYPE_NVME)
                .map(DiscoveryLogEntry::subnqn).toList();
    }

    @Test
    void theDiscoveryControllerIdentifiesAsSuch() throws Exception {
        try (HostController c = target.host.connectAdmin(target.transport(),
                target.options().withSubsystem(NvmeHost.DISCOVERY_NQN).withKato(0, false))) {
            c.enable();
            IdentifyControllerData id = c.identifyController();
            assertEquals(2, id.cntrltype(), "discovery controller");
            assertEquals(NvmeHost.DISCOVERY_NQN, id.subsystemNqn());
            assertEquals(c.cntlid(), id.cntlid());
        }
    }
}
