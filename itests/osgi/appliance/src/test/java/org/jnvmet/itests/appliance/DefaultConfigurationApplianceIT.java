package org.jnvmet.itests.appliance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.TcpHostSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code bin/jnvmet} without arguments runs the shipped etc/jnvmet.json: the RAM subsystem and the passthru
 * subsystem on one NVMe/TCP port with discovery. The test moves the port off 4420 so that it never collides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultConfigurationApplianceIT {
    private static final String RAM_NQN = "nqn.2024-01.org.jnvmet:ram0";
    private static final String PASSTHRU_NQN = "nqn.2024-01.org.jnvmet:passthru0";
    private static final Duration BOOT = Duration.ofSeconds(90);

    private Appliance appliance;
    private int port;

    @BeforeAll
    void start() throws Exception {
        appliance = Appliance.unpack("appliance-default");
        port = FreePort.loopback();
        Path shipped = appliance.home().resolve("etc/jnvmet.json");
        String json = Files.readString(shipped, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"trsvcid\": \"4420\""), "the shipped configuration does not listen on 4420");
        Files.writeString(shipped, json.replace("\"trsvcid\": \"4420\"", "\"trsvcid\": \"" + port + "\""));
        appliance.start();
    }

    @AfterAll
    void stop() throws Exception {
        appliance.close();
    }

    @Test
    void discoveryListsTheRamAndPassthruSubsystems() throws Exception {
        DiscoveryLog log = TcpHostSession.discover("127.0.0.1", port, BOOT);
        List<String> nqns = log.entries().stream().map(DiscoveryLogEntry::subnqn).toList();
        assertTrue(nqns.contains(RAM_NQN) && nqns.contains(PASSTHRU_NQN), () -> "discovery log lists " + nqns
                + "\n" + appliance.logTail());
    }

    @Test
    void hostDoesVerifiedIoOnTheRamNamespace() throws Exception {
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, RAM_NQN, BOOT)) {
            assertTrue(host.namespace(1).sizeBytes() == 256L << 20, "ram0 namespace 1 is not 256 MiB");
            host.write(1, 0, 64, 61);
            host.verify(1, 0, 64, 61);
        }
    }

    /** passthru0 exports the emulated NVMe controller emulated:nvme0; its namespace 1 has 512-byte blocks. */
    @Test
    void hostDoesVerifiedIoThroughPassthru() throws Exception {
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, PASSTHRU_NQN, BOOT)) {
            assertTrue(host.namespace(1).blockSize() == 512, "emulated namespace 1 block size");
            host.write(1, 0, 64, 71);
            host.write(1, 4096, 8, 72);
            host.verify(1, 0, 64, 71);
            host.verify(1, 4096, 8, 72);
        }
    }
}
