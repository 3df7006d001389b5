package org.jnvmet.benchmark;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;

/**
 * The benchmark driver, run pinned to its own CPU by benchmark/run.sh: measures loopback TCP, starts one
 * {@link BenchTarget} JVM per accounting setting on the other CPU, connects to each with the Java host over
 * NVMe/TCP (one I/O queue of 128 entries, no digests, in-capsule size from IOCCSZ), preconditions the namespace,
 * runs the workloads, and prints medians beside the SPDK anchors. Output goes to stdout and to {@code --out}.
 */
public final class LoadGenerator {
    private static final int IO_QUEUE_SIZE = 128;

    /** One connected target. */
    private record Target(TargetProcess process, NvmeTcpHostTransport transport, HostController controller,
            List<HostIoQueue> queues, HostNamespace ns, int inlineDataSize) {
    }

    private final Options o;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final NvmeHost host = NvmeHost.random();
    private final StringBuilder report = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();
    private long seed = 0x5eed;
    private double loopbackOthers = Double.NaN;
    private int targetStarts;

    private LoadGenerator(Options o) {
        this.o = o;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-host", true),
                NioIoHandler.newFactory());
        this.loop = group.next();
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.out);
        LoadGenerator g = new LoadGenerator(o);
        try {
            g.run();
        } finally {
            g.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        say("# jnvmet benchmark " + java.time.LocalDateTime.now().withNano(0));
        say("");
        say("Machine: " + Runtime.getRuntime().availableProcessors() + " CPU(s) visible to the generator, "
                + cpuModel() + ", kernel " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.runtime.version") + "; load average before: " + MachineCpu.loadAverage());
        say("Target JVM on CPU " + o.targetCpu + " (" + o.targetJvmOpts + "), load generator on CPU " + o.hostCpu
                + "; " + o.repeat + " run(s) of " + o.durationSeconds + " s (+" + o.warmupSeconds
                + " s warm-up) per workload; namespace " + (o.namespaceBytes >> 20) + " MiB, 4 KiB blocks; "
                + o.queues + " I/O queue(s) sharing the queue depth.");
        say("");

        LoopbackClient.Results loopback = null;
        if (o.loopback) {
            double before = OtherLoad.awaitQuiet(ours(), o.maxOtherLoad, o.quietWaitSeconds);
            System.out.printf("measuring loopback TCP (others use %.0f%% of a CPU) ...%n", 100 * before);
            for (int attempt = 0; attempt <= o.retries; attempt++) {
                if (attempt > 0) {
                    OtherLoad.awaitQuiet(ours(), o.maxOtherLoad, o.quietWaitSeconds);
                }
                OtherLoad l0 = OtherLoad.snapshot(ours());
                loopback = LoopbackClient.measure(o);
                loopbackOthers = OtherLoad.snapshot(ours()).cpusSince(l0);
                if (loopbackOthers <= o.maxOtherLoad) {
                    break;
                }
                System.out.printf("  loopback contended (others used %.0f%% of a CPU)%n", 100 * loopbackOthers);
            }
        }

        try {
            boolean primaryAccounting = o.accounting != Options.Accounting.OFF;
            List<RunResult> results = new ArrayList<>();
            for (int rep = 1; rep <= o.repeat; rep++) {
                if (rep == 1 || o.freshTargets) {
                    closeTargets();
                    // with two targets, alternate which one starts (and so is JIT-compiled and placed) first
                    boolean secondFirst = o.accounting == Options.Accounting.BOTH && rep % 2 == 0;
                    if (secondFirst) {
                        startTarget(false);
                    }
                    startTarget(primaryAccounting);
                    if (o.accounting == Options.Accounting.BOTH && !secondFirst) {
                        startTarget(false);
                    }
                    say("");
                }
                Target primary = target(primaryAccounting);
                Target secondary = o.accounting == Options.Accounting.BOTH ? target(false) : null;
                for (Workload w : o.workloads) {
                    boolean compare = secondary != null && w.name().equals(Workload.RANDREAD_QD32.name());
                    // alternate which side of a comparison pair goes first, so drift hits both alike
                    if (compare && rep % 2 == 0) {
                        results.add(measure(secondary, w, rep, null));
                    }
                    results.add(measure(primary, w, rep, null));
                    if (compare && rep % 2 == 1) {
                        results.add(measure(secondary, w, rep, null));
                    }
                }
            }
            Target primary = target(primaryAccounting);
            Target secondary = o.accounting == Options.Accounting.BOTH ? target(false) : null;

            for (Target t : targets) {
                say("Accounting of target pid " + t.process.pid() + " after the runs: " + t.process.diskstats());
            }
            say("");
            say("## Figures (median of " + o.repeat + " run(s), target accounting "
                    + (primaryAccounting ? "on" : "off") + ")");
            say("");
            say(Report.figures(results, o.workloads, primaryAccounting));
            say("target CPU us/IO: target process CPU time (all threads: event loop, JIT, GC) over the window / "
                    + "I/Os; alloc B/IO: heap bytes allocated by all target threads / I/Os; util: CPU time / wall "
                    + "time (100% = one core); writes/IO: write(v) system calls / I/Os; ctx sw/IO: context switches of all target "
                    + "threads / I/Os; other processes: CPU used by every other process on the machine during the "
                    + "window (runs above " + Math.round(100 * o.maxOtherLoad) + "% are contended, retried, and left "
                    + "out of the medians when uncontended runs exist).");
            say("");
            say("## Against SPDK (performance-anchors.md, same machine kind)");
            say("");
            say(Report.versusSpdk(results, o.workloads, primaryAccounting));
            if (secondary != null) {
                say("## Accounting cost");
                say("");
                say(Report.accountingCost(results, Workload.RANDREAD_QD32));
                double ns = accountingMicrobenchmark();
                double cpuOn = Report.median(Report.select(results, Workload.RANDREAD_QD32, true),
                        RunResult::targetCpuMicrosPerIo);
                say(String.format("Accounting alone (AccountingCost: DeviceCounters.start + end with a host session, "
                        + "one thread, CPU %s): %.0f ns per I/O = %.1f%% of the %.2f us of target CPU per "
                        + "randread-4k-qd32 I/O measured above.", o.targetCpu, ns, ns / 10 / cpuOn, cpuOn));
                say("");
            }
            if (loopback != null) {
                say("## Loopback TCP yardstick");
                say("");
                say(Report.loopback(loopback));
                say(String.format("Other processes used %.0f%% of a CPU meanwhile%s.", 100 * loopbackOthers,
                        loopbackOthers > o.maxOtherLoad ? " (contended)" : ""));
                say("");
            }
            say("## Every run");
            say("");
            say("```");
            for (RunResult r : results) {
                say(r.line());
            }
            say("```");
            say("Load average after: " + MachineCpu.loadAverage());

            Workload pw = o.profiledWorkload();
            if (pw != null) {
                say("");
                say("## Profile of " + pw.name() + " on the target (" + o.profileEvent
                        + "; extra run, not in the figures)");
                say("");
                RunResult r = measure(primary, pw, 0, o.profileEvent);
                say("```");
                say(r.line());
                say("```");
            }
        } finally {
            closeTargets();
            host.close();
            Path file = o.out.resolve("report.md");
            Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
            System.out.println("report written to " + file.toAbsolutePath());
        }
    }

    private void startTarget(boolean accounting) throws Exception {
        Target t = connect(accounting);
        targets.add(t);
        say("Target pid " + t.process.pid() + ": accounting " + (accounting ? "on" : "off") + ", "
                + (t.process.epoll ? "epoll" : "NIO") + ", in-capsule data " + t.inlineDataSize + " B, log "
                + t.process.log);
        if (o.precondition) {
            precondition(t);
        }
    }

    private Target target(boolean accounting) {
        for (Target t : targets) {
            if (t.process.accounting == accounting) {
                return t;
            }
        }
        throw new IllegalStateException("no target with accounting " + accounting);
    }

    private void closeTargets() {
        for (Target t : targets) {
            t.controller.close();
            t.transport.close();
            t.process.close();
        }
        targets.clear();
    }

    private Target connect(boolean accounting) throws IOException {
        Path log = o.out.resolve("target-accounting-" + (accounting ? "on" : "off") + "-" + (++targetStarts)
                + ".log");
        TargetProcess p = TargetProcess.start(o, accounting, log);
        NvmeTcpHostTransport transport = null;
        try {
            transport = new NvmeTcpHostTransport(new InetSocketAddress("127.0.0.1", p.port),
                    NvmeTcpHostOptions.defaults(), group);
            HostController c = host.connect(transport, ConnectOptions.of(BenchTarget.NQN)
                    .withIoQueues(0, IO_QUEUE_SIZE));
            int inline = NvmeTcpHostOptions.inlineDataSizeFromIoccsz(c.identifyController().ioccsz());
            transport.setIoInlineDataSize(inline);
            List<HostIoQueue> qs = c.createIoQueues(o.queues, IO_QUEUE_SIZE);
            if (qs.size() != o.queues) {
                throw new IOException("target granted " + qs.size() + " I/O queues, asked for " + o.queues);
            }
            return new Target(p, transport, c, qs, c.namespace(1), inline);
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                transport.close();
            }
            p.close();
            throw e;
        }
    }

    private void precondition(Target t) throws Exception {
        Workload fill = Workload.fill();
        long ios = t.ns.sizeBytes() / fill.ioSize();
        long start = System.nanoTime();
        IoEngine e = new IoEngine(t.queues, t.ns, loop, fill, seed++, ios);
        e.start();
        e.awaitDone(300);
        e.release();
        if (e.errors() > 0) {
            throw new IOException("preconditioning failed", e.firstError());
        }
        double s = (System.nanoTime() - start) / 1e9;
        say(String.format("  preconditioned: %d MiB written sequentially (128 KiB, QD16) in %.1f s",
                t.ns.sizeBytes() >> 20, s));
    }

    /** A measured run, retried while other processes competed for the CPUs (see --max-other-load). */
    private RunResult measure(Target t, Workload w, int rep, String profileEvent) throws Exception {
        RunResult r = null;
        for (int attempt = 0; attempt <= o.retries; attempt++) {
            double before = OtherLoad.awaitQuiet(ours(), o.maxOtherLoad, o.quietWaitSeconds);
            if (!(before < o.maxOtherLoad)) {
                System.out.printf("  machine still busy (others use %.0f%% of a CPU); running anyway%n", 100 * before);
            }
            r = measureOnce(t, w, rep, profileEvent);
            if (!r.contended() || profileEvent != null) {
                break;
            }
        }
        return r;
    }

    private java.util.Set<Long> ours() {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));   // targets, loopback, iperf3
        for (Target t : targets) {
            pids.add(t.process.pid());
        }
        return pids;
    }

    /** Warm-up, then a measured window with target and generator costs sampled at its edges, then drain. */
    private RunResult measureOnce(Target t, Workload w, int rep, String profileEvent) throws Exception {
        IoEngine e = new IoEngine(t.queues, t.ns, loop, w, seed++, -1);
        e.start();
        sleep(o.warmupSeconds);
        String profiler = null;
        if (profileEvent != null) {
            profiler = t.process.profileStart(profileEvent);
        }
        var me = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.util.Set<Long> ours = ours();
        OtherLoad l0 = OtherLoad.snapshot(ours);
        ProcessStats t0 = t.process.stats();
        long h0 = me.getProcessCpuTime();
        MachineCpu m0 = MachineCpu.read();
        long start = System.nanoTime();
        e.beginMeasure();
        sleep(o.durationSeconds);
        e.endMeasure();
        long end = System.nanoTime();
        MachineCpu m1 = MachineCpu.read();
        long h1 = me.getProcessCpuTime();
        ProcessStats t1 = t.process.stats();
        double others = OtherLoad.snapshot(ours).cpusSince(l0);
        Path profileSummary = null;
        if (profileEvent != null) {
            profileSummary = t.process.profileStop(o.out.resolve("profile-" + w.name() + "-" + profileEvent));
        }
        e.stopAndDrain(60);
        e.release();
        int c0 = firstCpu(o.targetCpu);
        int c1 = firstCpu(o.hostCpu);
        RunResult r = RunResult.of(w, rep, t.process.accounting, (end - start) / 1e9, e, t1.minus(t0), h1 - h0,
                others, nz(m1.irq(m0, c0)) + nz(m1.irq(m0, c1)),
                Math.max(nz(m1.steal(m0, c0)), nz(m1.steal(m0, c1))), !(others <= o.maxOtherLoad));
        System.out.println((rep > 0 ? "run " + rep + ": " : "profiled: ") + r.line());
        if (e.errors() > 0) {
            System.out.println("  first error: " + e.firstError());
        }
        if (profileSummary != null) {
            say("Profiler: " + profiler);
            say("Files: " + profileSummary.getParent());
            say("");
            say("```");
            say(Files.readString(profileSummary).stripTrailing());
            say("```");
        }
        return r;
    }

    /** Runs {@link AccountingCost} in its own JVM on the target's CPU; its median ns per I/O. */
    private double accountingMicrobenchmark() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (o.targetCpu != null) {
            cmd.addAll(List.of("taskset", "-c", o.targetCpu));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Options.splitJvmOpts(o.targetJvmOpts));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AccountingCost.class.getName(),
                "20000000"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("MEDIAN ")) {
                return Double.parseDouble(line.substring(7).trim());
            }
        }
        throw new IOException("AccountingCost failed: " + out);
    }

    private static double nz(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static int firstCpu(String list) {
        if (list == null) {
            return -1;
        }
        try {
            return Integer.parseInt(list.split("[,-]")[0].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        if (seconds > 0) {
            Thread.sleep((long) (seconds * 1000));
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private void say(String line) {
        System.out.println(line);
        report.append(line).append('\n');
    }
}
