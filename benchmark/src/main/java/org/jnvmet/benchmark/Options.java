package org.jnvmet.benchmark;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The load generator's command line (see benchmark/README.md). */
final class Options {
    enum Accounting { ON, OFF, BOTH }

    double durationSeconds = 10;
    double warmupSeconds = 2;
    int repeat = 1;
    /** I/O queues (TCP connections) the queue depth is spread over; 1 for the anchor workloads. */
    int queues = 1;
    Accounting accounting = Accounting.ON;
    List<Workload> workloads = Workload.STANDARD;
    long namespaceBytes = 512L << 20;
    boolean precondition = true;
    boolean loopback = true;
    double loopbackSeconds = 3;
    boolean iperf3 = true;
    /** A run during which other processes used more than this many CPUs is contended, and retried. */
    double maxOtherLoad = 0.10;
    double quietWaitSeconds = 120;
    int retries = 2;
    /** Start new target JVMs for every repeat, so JIT and memory-placement luck of one JVM averages out. */
    boolean freshTargets;
    String profile;
    String profileEvent = "cpu";
    String targetCpu = "0";
    String hostCpu = "1";
    String targetJvmOpts = "-Xms1g -Xmx1g -XX:MaxDirectMemorySize=2g -XX:+UseG1GC";
    Path out = Path.of("benchmark", "target", "results",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));

    static final String USAGE = """
            usage: benchmark/run.sh [options]
              --duration S         measured seconds per run (10)
              --warmup S           unmeasured seconds before each run (2)
              --repeat N           runs per workload; the report gives medians (1)
              --accounting MODE    on | off | both: both also runs randread-4k-qd32 against a second target
                                   without accounting, interleaved, and reports the difference (on)
              --workloads LIST     comma-separated: all, randread-4k-qd1, randread-4k-qd32, randwrite-4k-qd32,
                                   seqread-128k-qd16, or ad hoc like randread-16k-qd8 (all)
              --queues N           spread each workload's queue depth over N I/O queues (1, as the anchors)
              --fresh-targets      start new target JVMs for every repeat (JVM-to-JVM variance averages out)
              --size BYTES         namespace size (512M)
              --no-precondition    skip writing the whole namespace first
              --no-loopback        skip the loopback TCP measurements
              --loopback-seconds S blast duration (3)
              --no-iperf3          do not run iperf3 even if installed
              --max-other-load C   CPUs other processes may use during a run before it counts as contended (0.10)
              --quiet-wait S       before each run, wait up to S seconds for others to use less than that (120)
              --retries N          extra attempts of a contended run; medians use uncontended runs (2)
              --profile WORKLOAD   after the measured runs, one extra run of WORKLOAD with the target profiled
              --profile-event E    cpu | wall | alloc | lock (async-profiler) | jfr (cpu)
              --target-cpu C       CPU list for taskset of the target JVM, or 'none' (0)
              --target-jvm-opts S  JVM options of the target (%s)
              --out DIR            where the report and profiles go (benchmark/target/results/<time>)
            """;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.printf(USAGE, o.targetJvmOpts);
                System.exit(0);
            }
            switch (a) {
                case "--no-precondition" -> { o.precondition = false; continue; }
                case "--no-loopback" -> { o.loopback = false; continue; }
                case "--no-iperf3" -> { o.iperf3 = false; continue; }
                case "--fresh-targets" -> { o.freshTargets = true; continue; }
                default -> { }
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (or unknown option); --help for usage");
            }
            String v = args[++i];
            switch (a) {
                case "--duration" -> o.durationSeconds = positive(a, Double.parseDouble(v));
                case "--warmup" -> o.warmupSeconds = Double.parseDouble(v);
                case "--repeat" -> o.repeat = (int) positive(a, Integer.parseInt(v));
                case "--accounting" -> o.accounting = Accounting.valueOf(v.toUpperCase(Locale.ROOT));
                case "--workloads" -> o.workloads = Workload.parseList(v);
                case "--queues" -> o.queues = (int) positive(a, Integer.parseInt(v));
                case "--size" -> o.namespaceBytes = Sizes.parseBytes(v);
                case "--loopback-seconds" -> o.loopbackSeconds = positive(a, Double.parseDouble(v));
                case "--max-other-load" -> o.maxOtherLoad = positive(a, Double.parseDouble(v));
                case "--quiet-wait" -> o.quietWaitSeconds = Double.parseDouble(v);
                case "--retries" -> o.retries = Integer.parseInt(v);
                case "--profile" -> o.profile = Workload.parse(v).name();
                case "--profile-event" -> o.profileEvent = v;
                case "--target-cpu" -> o.targetCpu = v.equals("none") ? null : v;
                case "--host-cpu" -> o.hostCpu = v;
                case "--target-jvm-opts" -> o.targetJvmOpts = v;
                case "--out" -> o.out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; --help for usage");
            }
        }
        return o;
    }

    private static double positive(String option, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(option + " must be > 0");
        }
        return v;
    }

    static boolean onOff(String v) {
        return switch (v == null ? "" : v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected on or off: " + v);
        };
    }

    static List<String> splitJvmOpts(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The profiled workload, which runs even when not in the measured list. */
    Workload profiledWorkload() {
        return profile == null ? null : Workload.parse(profile);
    }
}
