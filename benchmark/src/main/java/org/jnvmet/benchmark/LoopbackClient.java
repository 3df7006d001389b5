package org.jnvmet.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the machine's loopback TCP from the load generator's CPU against a {@link Loopback} server JVM on the
 * target's CPU: one-stream throughput, and round trips of small and 4 KiB messages with both sides sleeping in the
 * kernel or busy-polling. Also runs iperf3 the same way when it is installed, as the anchors were measured with it.
 */
final class LoopbackClient {
    record Results(double blastMiBps, double rtt72Sleep, double rtt4kSleep, double rtt72Spin, double rtt4kSpin,
            String iperf3) {
    }

    private LoopbackClient() {
    }

    static Results measure(Options o) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (o.targetCpu != null) {
            cmd.addAll(List.of("taskset", "-c", o.targetCpu));
        }
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Loopback.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = r.readLine();
            if (ready == null || !ready.startsWith("READY port=")) {
                throw new IOException("loopback server did not start: " + ready);
            }
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(ready.substring("READY port=".length()).trim()));
            double seconds = o.loopbackSeconds;
            double mibps = blast(addr, seconds);
            double pingSeconds = Math.max(0.5, seconds / 3);
            double s72 = pingPong(addr, 72, false, pingSeconds);
            double s4k = pingPong(addr, 4096, false, pingSeconds);
            double p72 = pingPong(addr, 72, true, pingSeconds);
            double p4k = pingPong(addr, 4096, true, pingSeconds);
            return new Results(mibps, s72, s4k, p72, p4k, iperf3(o));
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static SocketChannel open(InetSocketAddress addr, byte mode, int size) throws IOException {
        SocketChannel ch = SocketChannel.open(addr);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer head = ByteBuffer.allocate(5).put(mode).putInt(size).flip();
        while (head.hasRemaining()) {
            ch.write(head);
        }
        return ch;
    }

    /** One stream, 128 KiB writes for {@code seconds}; MiB/s as received (the server's count after EOF). */
    static double blast(InetSocketAddress addr, double seconds) throws IOException {
        try (SocketChannel ch = open(addr, Loopback.BLAST, 0)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(128 << 10);
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.shutdownOutput();
            ByteBuffer answer = ByteBuffer.allocate(8);
            Loopback.readFully(ch, answer, false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            return answer.getLong(0) / elapsed / (1 << 20);
        }
    }

    /** Average round trip in microseconds of {@code size}-byte messages echoed one at a time. */
    static double pingPong(InetSocketAddress addr, int size, boolean spin, double seconds) throws IOException {
        try (SocketChannel ch = open(addr, spin ? Loopback.PING_SPIN : Loopback.PING_BLOCKING, size)) {
            if (spin) {
                ch.configureBlocking(false);
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(size);
            long warmEnd = System.nanoTime() + 300_000_000L;
            long n = 0;
            long start = 0;
            long end = Long.MAX_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmEnd) {
                    start = now;
                    end = start + (long) (seconds * 1e9);
                    n = 0;
                } else if (now >= end) {
                    return (now - start) / 1e3 / n;
                }
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
                if (!Loopback.readFully(ch, buf, spin)) {
                    throw new IOException("loopback server closed");
                }
                n++;
            }
        }
    }

    private static final Pattern IPERF_RECEIVER =
            Pattern.compile("([\\d.]+)\\s+([KMG]?)bits/sec.*receiver");

    /** One iperf3 stream for the blast duration, server on the target's CPU; null if iperf3 is not installed. */
    static String iperf3(Options o) {
        if (!o.iperf3) {
            return null;
        }
        try {
            Process probe = new ProcessBuilder("iperf3", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() != 0) {
                return null;
            }
        } catch (IOException | InterruptedException e) {
            return null;
        }
        int port = 5201 + (int) (ProcessHandle.current().pid() % 1000);
        Process server = null;
        try {
            List<String> s = new ArrayList<>();
            List<String> c = new ArrayList<>();
            if (o.targetCpu != null) {
                s.addAll(List.of("taskset", "-c", o.targetCpu));
            }
            s.addAll(List.of("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", Integer.toString(port)));
            server = new ProcessBuilder(s).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(500);
            c.addAll(List.of("iperf3", "-c", "127.0.0.1", "-p", Integer.toString(port), "-f", "m",
                    "-t", Integer.toString((int) Math.max(1, Math.round(o.loopbackSeconds)))));
            Process client = new ProcessBuilder(c).redirectErrorStream(true).start();
            String text = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            client.waitFor();
            Matcher m = IPERF_RECEIVER.matcher(text);
            if (!m.find()) {
                return "iperf3 gave no receiver line: " + text.lines().reduce((a, b) -> b).orElse("");
            }
            double v = Double.parseDouble(m.group(1));
            double mbit = switch (m.group(2)) {
                case "G" -> v * 1000;
                case "K" -> v / 1000;
                case "" -> v / 1e6;
                default -> v;
            };
            return String.format("%.1f Gbit/s (%,.0f MiB/s)", mbit / 1000, mbit * 1e6 / 8 / (1 << 20));
        } catch (IOException | InterruptedException e) {
            return "iperf3 failed: " + e.getMessage();
        } finally {
            if (server != null) {
                server.destroy();
            }
        }
    }
}
