package org.jnvmet.itests.support;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a JVM holds that a leaking bundle update would grow: live threads, direct NIO buffers (the JDK's "direct"
 * buffer pool), Netty's own count of direct memory, and open file descriptors.
 *
 * @param threads           live threads (ThreadMXBean)
 * @param directBuffers     BufferPoolMXBean "direct": buffer count
 * @param directBytes       BufferPoolMXBean "direct": memory used
 * @param nettyDirectBytes  PlatformDependent.usedDirectMemory(): direct memory Netty allocated without a Cleaner,
 *                          -1 when Netty does not count it (it then uses JDK buffers, which directBytes includes)
 * @param fileDescriptors   entries of /proc/self/fd (-1 where there is no such directory)
 * @param threadNames       live threads by name with digits folded to '#', for telling which ones leaked
 */
public record ResourceSnapshot(int threads, long directBuffers, long directBytes, long nettyDirectBytes,
        int fileDescriptors, Map<String, Integer> threadNames) {

    /** Counts now, without waiting or collecting garbage. */
    public static ResourceSnapshot take() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no direct buffer pool MXBean"));
        Map<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return new ResourceSnapshot(ManagementFactory.getThreadMXBean().getThreadCount(), direct.getCount(),
                direct.getMemoryUsed(), countNettyDirectBytes(), countFileDescriptors(), names);
    }

    /** {@link #take} after a garbage collection and a short pause, so that buffers and threads on their way out go. */
    public static ResourceSnapshot afterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return take();
    }

    private static long countNettyDirectBytes() {
        try {
            return io.netty.util.internal.PlatformDependent.usedDirectMemory();
        } catch (LinkageError e) {
            return -1;
        }
    }

    private static int countFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        // the listing's own descriptor is counted too, every time alike
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Thread name groups whose count differs from {@code before}, e.g. {@code nvmet-tcp-#-# 2 -> 4}. */
    public String threadDifference(ResourceSnapshot before) {
        StringBuilder sb = new StringBuilder();
        Map<String, Integer> all = new TreeMap<>(before.threadNames);
        threadNames.forEach(all::putIfAbsent);
        for (String n : all.keySet()) {
            int was = before.threadNames.getOrDefault(n, 0);
            int now = threadNames.getOrDefault(n, 0);
            if (was != now) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(was).append(" -> ").append(now);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** One line for logs and failure messages. */
    public String summary() {
        return "threads " + threads + ", direct buffers " + directBuffers + " (" + directBytes + " bytes), Netty direct "
                + nettyDirectBytes + " bytes, fds " + fileDescriptors;
    }
}
