package org.jnvmet.accounting.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.accounting.SessionStats;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.jnvmet.testing.LeakWatch;
import org.jnvmet.transport.tcp.NvmeTcpTransport;
import org.jnvmet.transport.tcp.TcpTransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Block accounting seen end to end: Java hosts drive a real target (core, NVMe/TCP on 127.0.0.1, RAM namespaces)
 * with a known mix of commands, and the namespace's /proc/diskstats counters, its per-controller breakdown and its
 * io_ticks must say exactly what the hosts did.
 */
class AccountingEndToEndTest {
    private static final String NQN = "nqn.2024-01.org.jnvmet:it-accounting";
    private static final int RAM_NSID = 1;
    private static final int BUSY_NSID = 2;
    /**
     * Service time of the saturated device, which serves one command at a time: at most 200 commands a second,
     * well below what NVMe/TCP delivers even on a loaded machine, so commands wait in the device, and 32 of them
     * take 160 ms to drain, far longer than a scheduling hiccup of the host or the transport.
     */
    private static final long SERVICE_MICROS = 5000;
    private static final int SECTOR = 512;
    private static final int READ_BYTES = 4096;
    private static final int WRITE_BYTES = 8192;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private NvmetCore core;
    private AccountingServiceImpl accounting;
    private NvmeTcpTransport tcp;
    private RamBackendFactory ram;
    private ServiceTimeBackendFactory delayed;
    private InetSocketAddress address;
    private final List<AutoCloseable> hostSide = new ArrayList<>();

    @BeforeEach
    void startTarget() {
        LeakWatch.install();
        core = new NvmetCore();
        accounting = new AccountingServiceImpl();
        core.setIoAccounting(accounting);
        tcp = new NvmeTcpTransport(new TcpTransportOptions(2, true, TcpTransportOptions.DEFAULT_SETUP_TIMEOUT_MILLIS),
                PooledByteBufAllocator.DEFAULT);
        core.addTransport(tcp);
        ram = new RamBackendFactory(256L << 20);
        delayed = new ServiceTimeBackendFactory(ram);
        core.addBackendFactory(ram);
        core.addBackendFactory(delayed);
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putNamespace(NQN, new NamespaceSpec(RAM_NSID, "ram:64M", null, null, 1, true, false, SECTOR));
        core.putNamespace(NQN, new NamespaceSpec(BUSY_NSID, ServiceTimeBackendFactory.devicePath(SERVICE_MICROS,
                "ram:16M"), null, null, 1, true, false, SECTOR));
        core.putPort(PortSpec.tcp(1, "127.0.0.1", 0, List.of(NQN)));
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(core.portStatus().get(0).trsvcid()));
    }

    @AfterEach
    void stopTarget() throws Exception {
        for (int i = hostSide.size() - 1; i >= 0; i--) {
            hostSide.get(i).close();
        }
        core.close();
        tcp.close();
        delayed.close();
        ram.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    private HostController connect(NvmeHost host, int queues, int depth) throws IOException {
        NvmeTcpHostTransport t = new NvmeTcpHostTransport(address, NvmeTcpHostOptions.defaults());
        hostSide.add(t::close);
        HostController c = host.connect(t, ConnectOptions.of(NQN).withIoQueues(queues, depth)
                .withCommandTimeout(WAIT));
        hostSide.add(c);
        return c;
    }

    private NvmeHost host() {
        NvmeHost h = NvmeHost.random();
        hostSide.add(h);
        return h;
    }

    private static String device(int nsid) {
        return "jnvmet!" + NQN + "!ns" + nsid;
    }

    /**
     * What one controller issues: {@code reads} of 4 KiB, {@code writes} of 8 KiB, {@code flushes}, one deallocate
     * per entry of {@code deallocate} (that many blocks), and {@code outOfRange} reads past the last LBA, which the
     * target refuses before they reach the device.
     */
    private record Plan(int reads, int writes, int flushes, long[] deallocate, int outOfRange) {
        long discardSectors() {
            return Arrays.stream(deallocate).sum(); // 512-byte blocks
        }
    }

    @Test
    void diskstatsCountExactlyWhatTheHostsIssued() throws Exception {
        NvmeHost h1 = host();
        NvmeHost h2 = host();
        HostController c1a = connect(h1, 2, 32);
        HostController c1b = connect(h1, 1, 32); // a second controller of the same host
        HostController c2 = connect(h2, 1, 32);
        Plan p1a = new Plan(500, 250, 5, new long[] {8, 1}, 2);
        Plan p1b = new Plan(200, 100, 2, new long[] {2048}, 0);
        Plan p2 = new Plan(300, 150, 3, new long[] {16, 4096}, 1);

        // the three controllers issue their mixes at the same time, each with up to 8 commands in flight
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Void>> runs = List.of(
                    CompletableFuture.runAsync(() -> run(c1a, p1a, 1), threads),
                    CompletableFuture.runAsync(() -> run(c1b, p1b, 2), threads),
                    CompletableFuture.runAsync(() -> run(c2, p2, 3), threads));
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            threads.shutdownNow();
        }

        // every completion has been seen by the hosts: the device must account all of them, and nothing in flight
        DiskStats s = accounting.snapshot(device(RAM_NSID)).orElseThrow();
        assertEquals(0, s.iosInProgress(), "in flight after the hosts saw every completion: " + s);
        assertEquals(1000, s.readsCompleted(), s::toString);
        assertEquals(1000 * READ_BYTES / SECTOR, s.sectorsRead());
        assertEquals(500, s.writesCompleted(), s::toString);
        assertEquals(500 * WRITE_BYTES / SECTOR, s.sectorsWritten());
        assertEquals(10, s.flushesCompleted(), s::toString);
        assertEquals(5, s.discardsCompleted(), s::toString);
        assertEquals(8 + 1 + 2048 + 16 + 4096, s.sectorsDiscarded());
        assertEquals(0, s.readsMerged() + s.writesMerged() + s.discardsMerged(), "jnvmet never merges");
        long truncation = s.weightedIoTimeMs()
                - (s.readTimeMs() + s.writeTimeMs() + s.discardTimeMs() + s.flushTimeMs());
        assertTrue(truncation >= 0 && truncation <= 3,
                "weighted time is the sum of the per-operation times (each truncated to ms): " + s);
        assertTrue(s.ioTimeMs() <= s.weightedIoTimeMs() + 1, "io_ticks cannot exceed the summed I/O time: " + s);

        Map<Op, OpStats> ops = accounting.opStats(device(RAM_NSID));
        assertEquals(0, ops.values().stream().mapToLong(OpStats::errors).sum(), "no failed I/O was counted");

        // the per-controller breakdown, by host NQN then cntlid
        List<SessionStats> expected = new ArrayList<>(List.of(
                session(h1, c1a, p1a), session(h1, c1b, p1b), session(h2, c2, p2)));
        expected.sort((a, b) -> a.hostNqn().equals(b.hostNqn()) ? Integer.compare(a.cntlid(), b.cntlid())
                : a.hostNqn().compareTo(b.hostNqn()));
        List<SessionStats> sessions = accounting.sessions(device(RAM_NSID));
        assertEquals(expected.size(), sessions.size(), sessions::toString);
        for (int i = 0; i < expected.size(); i++) {
            assertSameCounts(expected.get(i), sessions.get(i));
        }
        List<SessionStats> byHost = SessionStats.byHost(sessions);
        assertEquals(2, byHost.size());
        for (SessionStats host : byHost) {
            assertEquals(SessionStats.ALL_CONTROLLERS, host.cntlid());
            long reads = host.hostNqn().equals(h1.hostNqn()) ? 700 : 300;
            assertEquals(reads, host.read().ios(), host::toString);
        }

        // the device's /proc/diskstats line: the kernel's column order, and it parses back to the snapshot
        String line = diskstatsLine(device(RAM_NSID));
        String[] col = line.trim().split("\\s+");
        assertEquals(3 + DiskStats.FIELDS, col.length, line);
        assertEquals(device(RAM_NSID), col[2]);
        assertEquals(List.of("1000", "0", "8000"), List.of(col[3], col[4], col[5]), "reads, merged, sectors");
        assertEquals(List.of("500", "0", "8000"), List.of(col[7], col[8], col[9]), "writes, merged, sectors");
        assertEquals("0", col[11], "I/Os in progress");
        assertEquals(List.of("5", "0", "6169"), List.of(col[14], col[15], col[16]), "discards, merged, sectors");
        assertEquals("10", col[18], "flushes");
        assertEquals(s, DiskStats.parse(line), "the text line says what the snapshot says");
        assertEquals(s, accounting.snapshot(device(RAM_NSID)).orElseThrow(), "nothing moved since");
    }

    /** A QD32 stream of reads on a device with a service time keeps it busy: io_ticks is the wall time. */
    @Test
    void ioTicksOfASaturatedDeviceIsItsWallTime() throws Exception {
        NvmeHost h = host();
        HostController c = connect(h, 1, 64);
        HostNamespace ns = c.namespace(BUSY_NSID);
        HostIoQueue q = c.ioQueue(0);
        int depth = 32;
        DiskStats before = accounting.snapshot(device(BUSY_NSID)).orElseThrow();
        assertEquals(0, before.iosInProgress());

        BlockingQueue<ByteBuf> free = new ArrayBlockingQueue<>(depth);
        for (int i = 0; i < depth; i++) {
            free.add(PooledByteBufAllocator.DEFAULT.directBuffer(READ_BYTES, READ_BYTES));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong completed = new AtomicLong();
        Random random = new Random(5);
        long submitted = 0;
        // wall time from before the first submission to after the last completion: the device cannot have been
        // busy outside it, and with 32 queued it should not have been idle inside it
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(2);
        try {
            while (System.nanoTime() - end < 0) {
                ByteBuf buf = free.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (buf == null) {
                    throw new AssertionError("no completion within " + WAIT);
                }
                buf.clear();
                long slba = (long) random.nextInt((int) (ns.blocks() / 8)) * 8;
                q.readAsync(ns, slba, READ_BYTES / SECTOR, buf).whenComplete((done, error) -> {
                    if (error != null) {
                        failures.add(error);
                    } else {
                        completed.incrementAndGet();
                    }
                    free.add(buf);
                });
                submitted++;
            }
            for (int i = 0; i < depth; i++) { // wait for the last completions
                ByteBuf buf = free.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (buf == null) {
                    throw new AssertionError("commands still in flight after " + WAIT);
                }
                buf.release();
            }
        } finally {
            ByteBuf left;
            while ((left = free.poll()) != null) {
                left.release();
            }
        }
        long wallNanos = System.nanoTime() - start;
        DiskStats after = accounting.snapshot(device(BUSY_NSID)).orElseThrow();

        assertTrue(failures.isEmpty(), () -> "reads failed: " + failures);
        assertEquals(submitted, completed.get());
        assertEquals(0, after.iosInProgress());
        assertEquals(submitted, after.readsCompleted() - before.readsCompleted());
        assertEquals(submitted * (READ_BYTES / SECTOR), after.sectorsRead() - before.sectorsRead());
        double wallMs = wallNanos / 1e6;
        long ioTicks = after.ioTimeMs() - before.ioTimeMs();
        // the device can complete one read per service time: the count shows whether it was busy all along
        double capacity = wallMs * 1000 / SERVICE_MICROS;
        assertTrue(submitted <= capacity + 1, submitted + " reads exceed the device's capacity of " + capacity);
        // io_ticks is printed in whole ms, so either reading may be truncated by up to 1 ms
        assertTrue(ioTicks <= wallMs + 1, "busy " + ioTicks + " ms in a " + wallMs + " ms run");
        assertTrue(ioTicks >= 0.95 * wallMs, "busy only " + ioTicks + " ms of a " + wallMs + " ms run with "
                + depth + " reads queued; " + submitted + " reads done of the " + (long) capacity
                + " the device could do, and by its own schedule it sat idle for " + delayed.idleNanos() / 1e6
                + " ms (the host or transport, not the device, held it back then)");
        System.out.printf("saturated: %d reads in %.1f ms wall, io_ticks %d ms (%.1f%%), device idle %.1f ms%n",
                submitted, wallMs, ioTicks, 100.0 * ioTicks / wallMs, delayed.idleNanos() / 1e6);
    }

    // ---------------------------------------------------------------- helpers

    private String diskstatsLine(String device) {
        for (String line : accounting.diskstats().split("\n")) {
            String[] col = line.trim().split("\\s+");
            if (col.length > 2 && col[2].equals(device)) {
                return line;
            }
        }
        throw new AssertionError(device + " not in diskstats:\n" + accounting.diskstats());
    }

    private static SessionStats session(NvmeHost host, HostController c, Plan p) {
        return new SessionStats(host.hostNqn(), c.cntlid(),
                new OpStats(p.reads(), (long) p.reads() * READ_BYTES / SECTOR, 0, 0),
                new OpStats(p.writes(), (long) p.writes() * WRITE_BYTES / SECTOR, 0, 0),
                new OpStats(p.deallocate().length, p.discardSectors(), 0, 0),
                new OpStats(p.flushes(), 0, 0, 0));
    }

    private static void assertSameCounts(SessionStats expected, SessionStats actual) {
        String who = expected.hostNqn() + " cntlid " + expected.cntlid();
        assertEquals(expected.hostNqn(), actual.hostNqn());
        assertEquals(expected.cntlid(), actual.cntlid(), who);
        for (Op op : Op.values()) {
            OpStats e = expected.op(op);
            OpStats a = actual.op(op);
            assertEquals(e.ios(), a.ios(), who + " " + op + " ios");
            assertEquals(e.sectors(), a.sectors(), who + " " + op + " sectors");
            assertEquals(0, a.errors(), who + " " + op + " errors");
        }
    }

    /**
     * Issues {@code plan} on the RAM namespace through every I/O queue of {@code c} in a shuffled order, at most
     * 8 commands in flight; fails if a command that should succeed fails or an out-of-range read succeeds.
     */
    private static void run(HostController c, Plan plan, long seed) {
        try {
            HostNamespace ns = c.namespace(RAM_NSID);
            List<Character> ops = new ArrayList<>();
            ops.addAll(Collections.nCopies(plan.reads(), 'R'));
            ops.addAll(Collections.nCopies(plan.writes(), 'W'));
            ops.addAll(Collections.nCopies(plan.flushes(), 'F'));
            ops.addAll(Collections.nCopies(plan.deallocate().length, 'D'));
            ops.addAll(Collections.nCopies(plan.outOfRange(), 'X'));
            Random random = new Random(seed);
            Collections.shuffle(ops, random);
            Semaphore window = new Semaphore(8);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<HostIoQueue> queues = c.ioQueues();
            int deallocations = 0;
            long regionBlocks = ns.blocks() / 2; // reads and writes in the first half, deallocates in the second
            for (int i = 0; i < ops.size(); i++) {
                window.acquire();
                HostIoQueue q = queues.get(i % queues.size());
                char op = ops.get(i);
                long slba = (long) random.nextInt((int) (regionBlocks / 16)) * 16;
                ByteBuf buf = null;
                CompletableFuture<Completion> f;
                switch (op) {
                    case 'R' -> {
                        buf = PooledByteBufAllocator.DEFAULT.directBuffer(READ_BYTES);
                        f = q.readAsync(ns, slba, READ_BYTES / SECTOR, buf);
                    }
                    case 'W' -> {
                        buf = PooledByteBufAllocator.DEFAULT.directBuffer(WRITE_BYTES);
                        buf.writeZero(WRITE_BYTES).setLong(0, seed << 32 | i);
                        f = q.writeAsync(ns, slba, buf, false);
                    }
                    case 'F' -> f = q.flushAsync(ns.nsid());
                    case 'D' -> f = q.deallocateAsync(ns, regionBlocks + 8192L * deallocations,
                            plan.deallocate()[deallocations++]);
                    case 'X' -> {
                        buf = PooledByteBufAllocator.DEFAULT.directBuffer(READ_BYTES);
                        f = q.readAsync(ns, ns.blocks() - 4, READ_BYTES / SECTOR, buf);
                    }
                    default -> throw new IllegalStateException("op " + op);
                }
                ByteBuf held = buf;
                f.whenComplete((done, error) -> {
                    if (held != null) {
                        held.release();
                    }
                    if (op == 'X') {
                        if (!(error instanceof NvmeStatusException)) {
                            failures.add("read past the end: " + (error == null ? done : error));
                        }
                    } else if (error != null) {
                        failures.add(op + ": " + error);
                    }
                    window.release();
                });
            }
            if (!window.tryAcquire(8, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("commands still in flight after " + WAIT);
            }
            assertTrue(failures.isEmpty(), failures::toString);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
