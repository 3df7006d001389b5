package org.jnvmet.benchmark;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.transport.tcp.NvmeTcpTransport;
import org.jnvmet.transport.tcp.TcpTransportOptions;

/**
 * The target under test, wired in plain Java as a launcher would: {@link NvmetCore}, the NVMe/TCP transport on
 * 127.0.0.1, one subsystem with one RAM namespace, and optionally the accounting service.
 *
 * <p>Control channel: stdout carries only protocol lines (logging goes to stderr). After start it prints
 * {@code READY port=P pid=N epoll=B}; then it answers one line per stdin command: {@code STATS} (process CPU time,
 * heap bytes allocated by all live threads, GC), {@code DISKSTATS} (the accounting service's /proc/diskstats
 * lines, proof that accounting is live), {@code PROFILE_START <event>}, {@code PROFILE_STOP <dir>},
 * {@code QUIT}. End of stdin also stops it, so it never outlives the load generator.
 */
public final class BenchTarget {
    static final String NQN = "nqn.2024-01.org.jnvmet:bench";

    private BenchTarget() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        long size = 512L << 20;
        int blockSize = 4096;
        boolean accounting = true;
        int ioThreads = 1;
        int inlineDataSize = -1;
        int maxQueueSize = 128;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--size" -> size = Sizes.parseBytes(v);
                case "--block-size" -> blockSize = Integer.parseInt(v);
                case "--accounting" -> accounting = Options.onOff(v);
                case "--io-threads" -> ioThreads = Integer.parseInt(v);
                case "--inline-data-size" -> inlineDataSize = Integer.parseInt(v);
                case "--max-queue-size" -> maxQueueSize = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("BenchTarget: unknown option " + args[i]);
            }
            i++;
        }
        PrintStream control = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        // anything else printing to stdout would corrupt the control channel
        System.setOut(System.err);

        NvmetCore core = new NvmetCore();
        NvmeTcpTransport tcp = new NvmeTcpTransport(
                new TcpTransportOptions(ioThreads, true, TcpTransportOptions.DEFAULT_SETUP_TIMEOUT_MILLIS),
                PooledByteBufAllocator.DEFAULT);
        RamBackendFactory ram = new RamBackendFactory(Math.max(size, 1L << 30));
        core.addTransport(tcp);
        core.addBackendFactory(ram);
        AccountingServiceImpl accountingService = accounting ? new AccountingServiceImpl() : null;
        if (accountingService != null) {
            core.setIoAccounting(accountingService);
        }
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putNamespace(NQN, new NamespaceSpec(1, "ram:" + size, null, null, 1, true, false, blockSize));
        PortAddress defaults = PortSpec.tcp(1, "127.0.0.1", port, List.of(NQN)).address();
        core.putPort(new PortSpec(new PortAddress(1, "tcp", "ipv4", "127.0.0.1", Integer.toString(port),
                defaults.treq(), inlineDataSize, maxQueueSize), List.of(NQN), List.of()));
        PortStatus status = core.portStatus().get(0);
        if (!status.listening()) {
            control.println("ERR port not listening: " + status.reason());
            System.exit(2);
        }
        control.println("READY port=" + status.trsvcid() + " pid=" + ProcessHandle.current().pid()
                + " epoll=" + tcp.nativeTransport() + " accounting=" + accounting);

        TargetProfiler profiler = new TargetProfiler();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+", 2);
                String arg = cmd.length > 1 ? cmd[1] : "";
                try {
                    switch (cmd[0]) {
                        case "STATS" -> control.println(ProcessStats.capture().toLine());
                        case "DISKSTATS" -> control.println("DISKSTATS " + (accountingService == null ? "off"
                                : accountingService.list().stream().map(d -> d.toDiskstatsLine().trim())
                                        .reduce((a, b) -> a + " | " + b).orElse("none")));
                        case "PROFILE_START" -> control.println("OK " + profiler.start(arg));
                        case "PROFILE_STOP" -> control.println("OK " + profiler.stop(Path.of(arg)));
                        case "QUIT" -> {
                            control.println("BYE");
                            return;
                        }
                        case "" -> { }
                        default -> control.println("ERR unknown command " + cmd[0]);
                    }
                } catch (Exception e) {
                    control.println("ERR " + e.toString().replace('\n', ' '));
                }
            }
        } finally {
            core.close();
            tcp.close();
            ram.close();
            System.exit(0);
        }
    }
}
