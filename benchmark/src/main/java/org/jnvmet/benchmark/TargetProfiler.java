package org.jnvmet.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Profiles the target from inside its own JVM, on the control channel's command: async-profiler (the
 * tools.profiler:async-profiler jar embeds libasyncProfiler.so) for {@code cpu}, {@code wall}, {@code alloc} and
 * {@code lock}; JDK Flight Recorder for {@code jfr} or when async-profiler cannot load. Each stop writes its files
 * into a directory and a {@code summary.txt} of the hottest frames there.
 */
final class TargetProfiler {
    /** A one.profiler.AsyncProfiler while it runs; typed Object so the class loads only when asked for. */
    private Object asyncProfiler;
    private Recording recording;
    private String event;

    /** Starts profiling; returns which engine and event are running. */
    String start(String requested) throws Exception {
        if (event != null) {
            throw new IllegalStateException("already profiling " + event);
        }
        String e = requested.isBlank() ? "cpu" : requested.trim().toLowerCase(Locale.ROOT);
        if (!e.equals("jfr")) {
            try {
                one.profiler.AsyncProfiler ap = one.profiler.AsyncProfiler.getInstance();
                // 100 us CPU sampling for cpu/wall; allocation sampling every 64 KiB; every contended lock
                String opts = switch (e) {
                    case "cpu" -> "start,event=cpu,interval=100000,cstack=no";
                    case "wall" -> "start,event=wall,interval=200000,cstack=no";
                    case "alloc" -> "start,event=alloc,alloc=65536";
                    case "lock" -> "start,event=lock,lock=0";
                    default -> throw new IllegalArgumentException("profile event " + e
                            + ": cpu, wall, alloc, lock or jfr");
                };
                String answer = ap.execute(opts).trim();
                asyncProfiler = ap;
                event = e;
                return "async-profiler " + ap.getVersion() + " " + e + " (" + answer.replace('\n', ' ') + ")";
            } catch (IllegalArgumentException bad) {
                throw bad;
            } catch (Throwable t) {
                System.err.println("async-profiler unavailable (" + t + "), falling back to JFR");
            }
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        r.enable("jdk.ObjectAllocationSample");
        r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO);
        r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1));
        r.start();
        recording = r;
        event = "jfr";
        return "jfr (ExecutionSample every 1 ms, ObjectAllocationSample, JavaMonitorEnter)";
    }

    /** Stops profiling and writes the profile into {@code dir}; returns the summary file. */
    Path stop(Path dir) throws IOException {
        if (event == null) {
            throw new IllegalStateException("not profiling");
        }
        Files.createDirectories(dir);
        Path summary = dir.resolve("summary.txt");
        try {
            if (asyncProfiler != null) {
                one.profiler.AsyncProfiler ap = (one.profiler.AsyncProfiler) asyncProfiler;
                ap.execute("stop");
                String flat = ap.dumpFlat(40);
                Files.writeString(dir.resolve("traces.txt"), ap.dumpTraces(25), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("collapsed.txt"), ap.dumpCollapsed(one.profiler.Counter.SAMPLES),
                        StandardCharsets.UTF_8);
                try {
                    ap.execute("flamegraph,file=" + dir.resolve("flamegraph.html"));
                } catch (RuntimeException | IOException e) {
                    System.err.println("no flame graph: " + e);
                }
                Files.writeString(summary, "# async-profiler " + event + " on the target\n" + flat,
                        StandardCharsets.UTF_8);
            } else {
                Path jfr = dir.resolve("target.jfr");
                recording.stop();
                recording.dump(jfr);
                recording.close();
                Files.writeString(summary, JfrSummary.summarize(jfr, 30), StandardCharsets.UTF_8);
            }
        } finally {
            asyncProfiler = null;
            recording = null;
            event = null;
        }
        return summary;
    }
}
