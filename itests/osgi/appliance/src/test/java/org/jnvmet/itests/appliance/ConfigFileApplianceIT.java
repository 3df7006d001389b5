package org.jnvmet.itests.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.TcpHostSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bin/jnvmet --config FILE}: the appliance runs in the foreground as one process, serves the subsystem the
 * nvmetcli-format file defines (discovery and verified I/O over NVMe/TCP), applies an edit of the file while a
 * host stays connected, and stops on Ctrl-C (SIGINT).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigFileApplianceIT {
    private static final String NQN = "nqn.2024-01.org.jnvmet:appliance";
    private static final Duration BOOT = Duration.ofSeconds(90);

    private Appliance appliance;
    private Path config;
    private int port;

    @BeforeAll
    void start() throws Exception {
        appliance = Appliance.unpack("appliance-config");
        port = FreePort.loopback();
        config = Appliance.buildDirectory().resolve("appliance-config/target.json");
        Files.writeString(config, TargetConfig.tcpRam(port, NQN, "64M"));
        appliance.start("--config", config.toString());
    }

    @AfterAll
    void stop() throws Exception {
        appliance.close();
    }

    @Test
    @Order(1)
    void runsInTheForegroundAsTheJvmItself() throws Exception {
        TcpHostSession.discover("127.0.0.1", port, BOOT);
        assertTrue(appliance.process().isAlive(), appliance.logTail());
        // bin/jnvmet execs Karaf's JVM: signals sent to the process it started reach Karaf directly.
        String command = appliance.process().info().command().orElse("");
        assertTrue(command.endsWith("/java"), "bin/jnvmet's process is " + command);
    }

    @Test
    @Order(2)
    void discoveryListsTheSubsystemOfTheConfigurationFile() throws Exception {
        DiscoveryLog log = TcpHostSession.discover("127.0.0.1", port, BOOT);
        assertTrue(log.entries().stream().anyMatch(e -> NQN.equals(e.subnqn())
                        && Integer.toString(port).equals(e.trsvcid()) && "127.0.0.1".equals(e.traddr())),
                () -> "discovery log " + log.entries().stream().map(DiscoveryLogEntry::subnqn).toList());
    }

    @Test
    @Order(3)
    void hostDoesVerifiedIo() throws Exception {
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, NQN, BOOT)) {
            host.write(1, 0, 64, 41);
            host.write(1, 100_000, 16, 42);
            host.verify(1, 0, 64, 41);
            host.verify(1, 100_000, 16, 42);
        }
    }

    /** The store applies only the difference: the connected host keeps its controller and its data. */
    @Test
    @Order(4)
    void editingTheFileAddsANamespaceWhileAHostStaysConnected() throws Exception {
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, NQN, BOOT)) {
            host.write(1, 10, 8, 51);
            int cntlid = host.controller().cntlid();

            Appliance.writeAtomically(config, TargetConfig.tcpRam(port, NQN, "64M", "32M"));

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int[] active = host.controller().activeNamespaces(0);
            while (Arrays.stream(active).noneMatch(n -> n == 2) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                active = host.controller().activeNamespaces(0);
            }
            assertTrue(Arrays.stream(active).anyMatch(n -> n == 2),
                    () -> "namespace 2 never appeared\n" + appliance.logTail());
            assertEquals(32L << 20, host.namespace(2).sizeBytes());
            assertEquals(cntlid, host.controller().cntlid());

            host.write(2, 0, 16, 52);
            host.verify(2, 0, 16, 52);
            host.verify(1, 10, 8, 51);
        }
    }

    /** The Karaf shell: SSH on the loopback address only, the karaf user enabled, the nvmet commands present. */
    @Test
    @Order(5)
    void operatorShellListsTheConfigurationOverLoopbackSsh() throws Exception {
        String out = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.contains(NQN) && System.nanoTime() < deadline) {
            out = appliance.client("nvmet:ls\n");
            if (!out.contains(NQN)) {
                Thread.sleep(500);
            }
        }
        assertTrue(out.contains(NQN), "nvmet:ls over bin/client printed:\n" + out);
        assertEquals(List.of("127.0.0.1"), Appliance.listeningAddresses(appliance.sshPort()),
                "SSH must listen on 127.0.0.1 only");
    }

    @Test
    @Order(6)
    void ctrlCStopsTheAppliance() throws Exception {
        appliance.signal("INT", Duration.ofSeconds(60));
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }, "the NVMe/TCP port still accepts connections after the appliance stopped");
    }
}
