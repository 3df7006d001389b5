package org.jnvmet.itests.support;

import java.time.Duration;
import org.jnvmet.api.NvmeTarget;
import org.osgi.framework.BundleContext;

/**
 * {@link HotSwapScenario} with the JVM's resources counted before and after: the cycles must leave no more threads,
 * direct buffers, direct memory, file descriptors or reachable class loaders of replaced bundle revisions behind
 * than the tolerances below.
 *
 * <p>The baseline is taken after one warm-up cycle, so that what the first update creates once and keeps for the
 * JVM's life is not counted as a leak: Netty's shared helpers (its global event executor and object cleaner),
 * the framework's refresh thread, and arenas of the pooled allocator the target and the hosts share. Both
 * measurements are taken with the hosts' I/O paused (nothing in flight), after garbage collection; the second one
 * is retried for up to {@link #SETTLE} while threads and buffers of the last cycle wind down.
 */
public final class HotSwapRun {
    public static final Duration SETTLE = Duration.ofSeconds(15);
    /**
     * Threads: 2, for JDK and Netty helpers that start on demand and stop when idle (a common ForkJoinPool worker
     * completing a host future, Netty's GlobalEventExecutor).
     */
    public static final int THREAD_TOLERANCE = 2;
    /** JDK-internal temporary direct buffers cached per thread (sun.nio.ch.Util) by threads that did I/O. */
    public static final long DIRECT_BUFFER_TOLERANCE = 4;
    public static final long DIRECT_BYTES_TOLERANCE = 1L << 20;
    /** One 4 MiB chunk: the pooled allocator's arenas keep a chunk once allocated. */
    public static final long NETTY_DIRECT_TOLERANCE = 4L << 20;
    /** A transient pipe or socket of a helper thread. */
    public static final int FD_TOLERANCE = 2;
    /**
     * Class loaders of replaced revisions still reachable after garbage collection: whatever keeps a revision alive
     * (a thread it started, a static registry elsewhere) keeps one per update, 20 or more over the cycles.
     */
    public static final int REACHABLE_LOADER_TOLERANCE = 3;

    private HotSwapRun() {
    }

    /** Runs one warm-up cycle and {@code cycles} measured ones; returns the report, throws AssertionError on a leak. */
    public static String run(BundleContext context, NvmeTarget target, HotSwapScenario.Settings settings, int cycles)
            throws Exception {
        try (HotSwapScenario scenario = new HotSwapScenario(context, target, settings, System.out::println)) {
            scenario.start();
            scenario.awaitWrites(50);
            scenario.cycle(0);

            scenario.pauseHosts();
            ResourceSnapshot before = ResourceSnapshot.afterGc();
            scenario.resumeHosts();
            long cyclesStart = System.nanoTime();
            for (int i = 1; i <= cycles; i++) {
                scenario.cycle(i);
            }
            long cyclesMillis = (System.nanoTime() - cyclesStart) / 1_000_000;
            scenario.pauseHosts();
            ResourceSnapshot after = settle(before);
            int loaders = scenario.reachableReplacedLoaders();

            String report = "hot swap: " + cycles + " cycles (+1 warm-up) in " + cyclesMillis + " ms"
                    + "\n  before: " + before.summary()
                    + "\n  after:  " + after.summary()
                    + "\n  thread groups changed: " + after.threadDifference(before)
                    + "\n  " + scenario.fileHost().status()
                    + "\n  " + scenario.passthruHost().status()
                    + "\n  class loaders of replaced revisions still reachable: " + loaders + " of "
                    + scenario.replacedRevisions()
                    + scenario.timings();
            System.out.println(report);
            scenario.resumeHosts();

            check("threads", before.threads(), after.threads(), THREAD_TOLERANCE, report);
            check("direct buffers", before.directBuffers(), after.directBuffers(), DIRECT_BUFFER_TOLERANCE, report);
            check("direct buffer bytes", before.directBytes(), after.directBytes(), DIRECT_BYTES_TOLERANCE, report);
            check("Netty direct bytes", before.nettyDirectBytes(), after.nettyDirectBytes(), NETTY_DIRECT_TOLERANCE,
                    report);
            check("file descriptors", before.fileDescriptors(), after.fileDescriptors(), FD_TOLERANCE, report);
            check("reachable class loaders of replaced revisions", 0, loaders, REACHABLE_LOADER_TOLERANCE, report);
            return report;
        }
    }

    /** Snapshots until every count is within its tolerance of {@code before}, or {@link #SETTLE} has passed. */
    private static ResourceSnapshot settle(ResourceSnapshot before) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            ResourceSnapshot now = ResourceSnapshot.afterGc();
            boolean back = now.threads() <= before.threads() + THREAD_TOLERANCE
                    && now.directBuffers() <= before.directBuffers() + DIRECT_BUFFER_TOLERANCE
                    && now.directBytes() <= before.directBytes() + DIRECT_BYTES_TOLERANCE
                    && now.nettyDirectBytes() <= before.nettyDirectBytes() + NETTY_DIRECT_TOLERANCE
                    && now.fileDescriptors() <= before.fileDescriptors() + FD_TOLERANCE;
            if (back || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(300);
        }
    }

    private static void check(String what, long before, long after, long tolerance, String report) {
        if (after > before + tolerance) {
            throw new AssertionError(what + " grew from " + before + " to " + after + " (tolerance " + tolerance
                    + ")\n" + report);
        }
    }
}
