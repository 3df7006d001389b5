package org.jnvmet.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.jnvmet.api.PortStatus;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's wiring seen from a host: model file -> core -> NVMe/TCP, including a hot reload. */
class StandaloneTargetTest {
    private static final String NQN = "nqn.2024-01.org.jnvmet:launcher-test";

    @TempDir
    Path dir;

    private static String config(int namespaces) {
        StringBuilder ns = new StringBuilder();
        for (int i = 1; i <= namespaces; i++) {
            ns.append(i > 1 ? "," : "").append("""
                {"device": {"path": "ram:16M"}, "enable": 1, "nsid": %d}""".formatted(i));
        }
        return """
            {"hosts": [],
             "ports": [{"addr": {"adrfam": "ipv4", "traddr": "127.0.0.1", "treq": "not specified",
                                 "trsvcid": "0", "trtype": "tcp"},
                        "portid": 1, "referrals": [], "subsystems": ["%s"]}],
             "subsystems": [{"allowed_hosts": [], "attr": {"allow_any_host": "1", "serial": "LAUNCHER01",
                             "model": "launcher test"},
                             "namespaces": [%s], "nqn": "%s"}]}
            """.formatted(NQN, ns, NQN);
    }

    @Test
    void servesTheConfiguredSubsystemAndAppliesAnEditedFile() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, config(1));
        try (StandaloneTarget target = new StandaloneTarget(file)) {
            PortStatus port = target.core().portStatus().get(0);
            assertTrue(port.listening(), port.toString());
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", Integer.parseInt(port.trsvcid()));
            NvmeTcpHostTransport transport = new NvmeTcpHostTransport(addr, NvmeTcpHostOptions.defaults());
            NvmeHost host = NvmeHost.random();
            try (HostController ctrl = host.connect(transport, ConnectOptions.of(NQN).withIoQueues(1, 32))) {
                assertEquals("LAUNCHER01", ctrl.identifyController().serialNumber());
                assertEquals("launcher test", ctrl.identifyController().modelNumber());
                assertArrayEquals(new int[] {1}, ctrl.activeNamespaces(0));

                HostNamespace ns = ctrl.namespace(1);
                HostIoQueue q = ctrl.ioQueue(0);
                byte[] pattern = new byte[256 * 1024];
                new Random(7).nextBytes(pattern);
                ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(pattern.length).writeBytes(pattern);
                ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(pattern.length);
                try {
                    assertEquals(Status.SUCCESS, q.write(ns, 100, out, false).status());
                    assertEquals(Status.SUCCESS, q.read(ns, 100, pattern.length / 512, in).status());
                    byte[] back = new byte[pattern.length];
                    in.getBytes(0, back);
                    assertTrue(Arrays.equals(pattern, back), "read back differs");
                } finally {
                    out.release();
                    in.release();
                }

                // Hot reload: a second namespace appears for the connected host without a reconnect.
                Files.writeString(file, config(2), StandardCharsets.UTF_8);
                long deadline = System.nanoTime() + 10_000_000_000L;
                int[] active = ctrl.activeNamespaces(0);
                while (active.length < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    active = ctrl.activeNamespaces(0);
                }
                assertArrayEquals(new int[] {1, 2}, active);
                assertTrue(ctrl.isConnected());
            } finally {
                host.close();
                transport.close();
            }
        }
    }

    @Test
    void embeddedDefaultConfigurationIsValid() throws Exception {
        // The default names fixed ports (4420, 8009) that may be taken on a build machine; what must hold is that
        // the model accepts it whole and the core holds its subsystems afterwards.
        try (StandaloneTarget target = new StandaloneTarget(null)) {
            assertTrue(target.core().subsystems().stream()
                    .anyMatch(s -> s.nqn().equals("nqn.2024-01.org.jnvmet:ram0")));
            assertEquals(2, target.core().ports().size());
            // The emulated controller behind the default passthru subsystem is open.
            assertTrue(target.core().passthruStatus().stream().anyMatch(p -> p.active()),
                    target.core().passthruStatus().toString());
        }
    }
}
