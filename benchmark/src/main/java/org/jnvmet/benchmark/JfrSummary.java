package org.jnvmet.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What {@code jfr print --events jdk.ExecutionSample} would show, counted: the hottest methods by self samples,
 * the hottest 4-frame stacks, samples per thread, and the top allocation and monitor-contention sites.
 */
final class JfrSummary {
    private JfrSummary() {
    }

    static String summarize(Path jfr, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> stacks = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocSites = new HashMap<>();
        Map<String, Long> monitorSites = new HashMap<>();
        long samples = 0;
        long allocWeight = 0;
        long monitorEvents = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedThread t = e.getThread("sampledThread");
                    threads.merge(t == null ? "?" : t.getJavaName(), 1L, Long::sum);
                    if (st != null && !st.getFrames().isEmpty()) {
                        self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                        stacks.merge(chain(st.getFrames(), 4), 1L, Long::sum);
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocWeight += w;
                    if (st != null) {
                        String cls = e.getClass("objectClass").getName();
                        allocSites.merge(cls + " <- " + chain(st.getFrames(), 3), w, Long::sum);
                    }
                }
                case "jdk.JavaMonitorEnter" -> {
                    monitorEvents++;
                    if (st != null) {
                        monitorSites.merge(chain(st.getFrames(), 3), 1L, Long::sum);
                    }
                }
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# JFR on the target: ").append(samples).append(" execution samples\n");
        section(out, "samples per thread", threads, samples, top);
        section(out, "hottest methods (self samples)", self, samples, top);
        section(out, "hottest stacks (top 4 frames, innermost first)", stacks, samples, top);
        section(out, "allocation (sampled bytes by class and site)", allocSites, allocWeight, top);
        section(out, "contended monitor enters (" + monitorEvents + ")", monitorSites, monitorEvents, top);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Long> counts, long total, int top) {
        out.append("\n## ").append(title).append('\n');
        if (counts.isEmpty()) {
            out.append("  (none)\n");
            return;
        }
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(top).forEach(en -> out.append(String.format("%7.2f%% %12d  %s%n",
                        total == 0 ? 0.0 : 100.0 * en.getValue() / total, en.getValue(), en.getKey())));
    }

    private static String frame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    private static String chain(List<RecordedFrame> frames, int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(depth, frames.size()); i++) {
            if (i > 0) {
                b.append(" < ");
            }
            b.append(frame(frames.get(i)));
        }
        return b.toString();
    }
}
