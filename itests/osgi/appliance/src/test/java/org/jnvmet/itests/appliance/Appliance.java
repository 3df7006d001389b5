package org.jnvmet.itests.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jnvmet.itests.support.FreePort;

/**
 * The appliance as an operator gets it: the distribution archive unpacked into its own directory and started with
 * {@code bin/jnvmet}. SSH and JMX get free loopback ports so that runs never collide.
 */
final class Appliance implements AutoCloseable {
    private final Path home;
    private final Path log;
    private Process process;
    private int sshPort;

    private Appliance(Path home, Path log) {
        this.home = home;
        this.log = log;
    }

    /** Unpacks the distribution built by this reactor into {@code target/<name>/}. */
    static Appliance unpack(String name) throws IOException, InterruptedException {
        String archive = System.getProperty("jnvmet.itest.distribution");
        if (archive == null || !Files.isRegularFile(Path.of(archive))) {
            throw new IllegalStateException("no distribution archive (jnvmet.itest.distribution = " + archive + ")");
        }
        Path dir = buildDirectory().resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        run(List.of("tar", "xzf", archive, "-C", dir.toString()));
        Appliance a = new Appliance(dir.resolve("jnvmet"), buildDirectory().resolve(name + ".log"));
        a.useFreeManagementPorts();
        return a;
    }

    static Path buildDirectory() {
        return Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
    }

    Path home() {
        return home;
    }

    /** Starts {@code bin/jnvmet args...} in the foreground of a child process; output goes to the log file. */
    void start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/jnvmet").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("KARAF_SYSTEM_OPTS");
        env.remove("EXTRA_JAVA_OPTS");
        process = pb.start();
    }

    Process process() {
        return process;
    }

    int sshPort() {
        return sshPort;
    }

    /**
     * Runs shell commands through {@code bin/client} (SSH to the appliance as the karaf user), the way an operator
     * on this machine does; returns what the commands printed.
     */
    String client(String commands) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-h", "127.0.0.1",
                "-a", Integer.toString(sshPort), "-u", "karaf", "-p", "karaf", "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().write(commands.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("bin/client did not finish: " + out);
        }
        return out;
    }

    /**
     * The addresses that listen on TCP {@code port}, from /proc/net/tcp and tcp6: "127.0.0.1" (also for the
     * IPv4-mapped ::ffff:127.0.0.1 of a dual-stack Java socket), "0.0.0.0" or "::" for every interface, or the
     * raw hex of any other IPv6 address.
     */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A = LISTEN; address words are little-endian hex
                if (f.length > 3 && "0A".equals(f[3]) && f[1].endsWith(String.format(":%04X", port))) {
                    addresses.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return addresses;
    }

    private static String address(String hex) {
        if (hex.length() == 32) {
            if (hex.equals("0".repeat(32))) {
                return "::";
            }
            if (!hex.startsWith("0000000000000000FFFF0000")) {
                return hex;
            }
            hex = hex.substring(24);
        }
        long a = Long.parseLong(hex, 16);
        return (a & 0xFF) + "." + (a >> 8 & 0xFF) + "." + (a >> 16 & 0xFF) + "." + (a >> 24 & 0xFF);
    }

    /** Sends a signal the way a terminal (INT for Ctrl-C) or a supervisor (TERM) would; waits for the exit. */
    int signal(String signal, Duration patience) throws IOException, InterruptedException {
        run(List.of("kill", "-" + signal, Long.toString(process.pid())));
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("bin/jnvmet still running " + patience + " after SIG" + signal + "\n" + logTail());
        }
        return process.exitValue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Rewrites {@code key = value} in an etc/ properties file (the line is appended when absent). */
    void setProperty(String etcFile, String key, String value) throws IOException {
        Path file = home.resolve("etc").resolve(etcFile);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*[=:].*$").matcher(text);
        String line = key + " = " + value;
        text = m.find() ? m.replaceFirst(Matcher.quoteReplacement(line)) : text + "\n" + line + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private void useFreeManagementPorts() throws IOException {
        sshPort = FreePort.loopback();
        setProperty("org.apache.karaf.shell.cfg", "sshPort", Integer.toString(sshPort));
        setProperty("org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(FreePort.loopback()));
        setProperty("org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(FreePort.loopback()));
    }

    /** Replaces a file the way an editor that saves atomically does, so a watcher never reads half of it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".edit-", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + out);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
