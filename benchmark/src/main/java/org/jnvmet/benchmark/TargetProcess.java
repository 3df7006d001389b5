package org.jnvmet.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's handle on one BenchTarget JVM, started with {@code taskset -c CPU} and driven over its
 * stdin/stdout control channel (see {@link BenchTarget}); its stderr goes to a log file.
 */
final class TargetProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    final int port;
    final boolean accounting;
    final boolean epoll;
    final Path log;

    private TargetProcess(Process process, int port, boolean accounting, boolean epoll, Path log,
            BufferedReader out, PrintWriter in) {
        this.process = process;
        this.port = port;
        this.accounting = accounting;
        this.epoll = epoll;
        this.log = log;
        this.out = out;
        this.in = in;
    }

    static TargetProcess start(Options o, boolean accounting, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (o.targetCpu != null) {
            cmd.addAll(List.of("taskset", "-c", o.targetCpu));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Options.splitJvmOpts(o.targetJvmOpts));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchTarget.class.getName(),
                "--port", "0", "--size", Long.toString(o.namespaceBytes), "--block-size", "4096",
                "--accounting", accounting ? "on" : "off", "--io-threads", "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter w = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = r.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("target did not start (" + ready + "); see " + log);
        }
        int port = Integer.parseInt(field(ready, "port"));
        boolean epoll = Boolean.parseBoolean(field(ready, "epoll"));
        return new TargetProcess(p, port, accounting, epoll, log, r, w);
    }

    private static String field(String line, String key) {
        for (String kv : line.split("\\s+")) {
            if (kv.startsWith(key + "=")) {
                return kv.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + key + " in " + line);
    }

    long pid() {
        return process.pid();
    }

    synchronized String command(String line) throws IOException {
        in.println(line);
        String answer = out.readLine();
        if (answer == null) {
            throw new IOException("target exited (code " + exitCode() + "); see " + log);
        }
        if (answer.startsWith("ERR")) {
            throw new IOException("target: " + answer);
        }
        return answer;
    }

    ProcessStats stats() throws IOException {
        return ProcessStats.parse(command("STATS"));
    }

    String diskstats() throws IOException {
        return command("DISKSTATS").substring("DISKSTATS ".length());
    }

    String profileStart(String event) throws IOException {
        return command("PROFILE_START " + event).substring(3);
    }

    Path profileStop(Path dir) throws IOException {
        return Path.of(command("PROFILE_STOP " + dir.toAbsolutePath()).substring(3).trim());
    }

    private String exitCode() {
        return process.isAlive() ? "running" : Integer.toString(process.exitValue());
    }

    @Override
    public void close() {
        try {
            in.println("QUIT");
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
