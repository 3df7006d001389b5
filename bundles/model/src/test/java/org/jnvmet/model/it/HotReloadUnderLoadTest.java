package org.jnvmet.model.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.PortStatus;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.model.ModelEvent;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.testing.LeakWatch;
import org.jnvmet.transport.tcp.NvmeTcpTransport;
import org.jnvmet.transport.tcp.TcpTransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model store watching an nvmetcli-format file in front of the real target (core, NVMe/TCP on 127.0.0.1, RAM
 * namespaces, accounting), seen from Java hosts. While hosts keep verified I/O running on subsystem A, the file is
 * edited the way an administrator would: subsystem B appears, a referral changes, a namespace of subsystem C goes,
 * and an invalid edit is refused. A must never notice.
 */
class HotReloadUnderLoadTest {
    private static final String A = "nqn.2024-01.org.jnvmet:it-reload-a";
    private static final String B = "nqn.2024-01.org.jnvmet:it-reload-b";
    private static final String C = "nqn.2024-01.org.jnvmet:it-reload-c";
    private static final String SERIAL_A = "RELOAD-A-0001";
    private static final int PORT_ID = 1;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int A_THREADS = 4;
    private static final int A_QUEUES = 2;

    /** What the configuration file says; each edit is one change of this. */
    private record Config(boolean hasB, String referralTraddr, String referralTrsvcid, boolean cHasNs2,
            String serialA) {

        Config withB() {
            return new Config(true, referralTraddr, referralTrsvcid, cHasNs2, serialA);
        }

        Config withReferral(String traddr, String trsvcid) {
            return new Config(hasB, traddr, trsvcid, cHasNs2, serialA);
        }

        Config withoutCNs2() {
            return new Config(hasB, referralTraddr, referralTrsvcid, false, serialA);
        }

        Config withSerialA(String serial) {
            return new Config(hasB, referralTraddr, referralTrsvcid, cHasNs2, serial);
        }

        String json() {
            String links = "\"" + A + "\", \"" + C + "\"" + (hasB ? ", \"" + B + "\"" : "");
            String subsystemB = !hasB ? "" : """
                    {"allowed_hosts": [], "attr": {"allow_any_host": "1", "serial": "RELOAD-B-0001"},
                     "namespaces": [{"device": {"path": "ram:16M"}, "enable": 1, "nsid": 1}],
                     "nqn": "%s"},
                    """.formatted(B);
            String ns2 = !cHasNs2 ? "" : """
                    , {"device": {"path": "ram:4M"}, "enable": 1, "nsid": 2}""";
            return """
                    {"hosts": [],
                     "ports": [{"addr": {"adrfam": "ipv4", "traddr": "127.0.0.1", "treq": "not specified",
                                         "trsvcid": "0", "trtype": "tcp"},
                                "portid": %d,
                                "referrals": [{"addr": {"adrfam": "ipv4", "portid": "2", "traddr": "%s",
                                                        "treq": "not specified", "trsvcid": "%s", "trtype": "tcp"},
                                               "enable": 1, "name": "r1"}],
                                "subsystems": [%s]}],
                     "subsystems": [
                       {"allowed_hosts": [], "attr": {"allow_any_host": "1", "serial": "%s"},
                        "namespaces": [{"device": {"path": "ram:64M"}, "enable": 1, "nsid": 1}],
                        "nqn": "%s"},
                       %s
                       {"allowed_hosts": [], "attr": {"allow_any_host": "1", "serial": "RELOAD-C-0001"},
                        "namespaces": [{"device": {"path": "ram:4M"}, "enable": 1, "nsid": 1}%s],
                        "nqn": "%s"}]}
                    """.formatted(PORT_ID, referralTraddr, referralTrsvcid, links, serialA, A, subsystemB, ns2, C);
        }
    }

    @TempDir
    Path dir;
    private Path file;
    private NvmetCore core;
    private NvmeTcpTransport tcp;
    private RamBackendFactory ram;
    private AccountingServiceImpl accounting;
    private ModelStoreImpl model;
    private final List<ModelEvent> fileEvents = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> hostSide = new ArrayList<>();
    private final List<VerifiedIo> workers = new ArrayList<>();
    private ConnectionMonitor monitor;
    private InetSocketAddress address;

    @BeforeEach
    void startTarget() throws IOException {
        LeakWatch.install();
        file = dir.resolve("config.json");
        core = new NvmetCore();
        accounting = new AccountingServiceImpl();
        core.setIoAccounting(accounting);
        tcp = new NvmeTcpTransport(new TcpTransportOptions(2, true, TcpTransportOptions.DEFAULT_SETUP_TIMEOUT_MILLIS),
                PooledByteBufAllocator.DEFAULT);
        core.addTransport(tcp);
        ram = new RamBackendFactory(256L << 20);
        core.addBackendFactory(ram);
    }

    /** Writes the first file and starts the store on it, polling quickly. */
    private void startModel(Config config) throws IOException {
        Files.writeString(file, config.json());
        model = new ModelStoreImpl(core, new ModelStoreImpl.Options(file, true, 50, true));
        model.start();
        assertTrue(model.fileError().isEmpty(), () -> "the first file is refused: " + model.fileError());
        model.addListener(e -> {
            if (e.source() == ModelEvent.Source.FILE) {
                fileEvents.add(e);
            }
        });
        PortStatus port = core.portStatus().get(0);
        assertTrue(port.listening(), port.toString());
        int bound = Integer.parseInt(port.trsvcid());
        assertTrue(bound > 0, "an ephemeral port was bound: " + port);
        address = new InetSocketAddress("127.0.0.1", bound);
    }

    @AfterEach
    void stopTarget() throws Exception {
        for (VerifiedIo w : workers) { // already stopped unless the test failed half-way
            w.stop();
        }
        if (monitor != null) {
            monitor.stop();
        }
        for (int i = hostSide.size() - 1; i >= 0; i--) {
            hostSide.get(i).close();
        }
        if (model != null) {
            model.close();
        }
        core.close();
        tcp.close();
        ram.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    private NvmeTcpHostTransport transport() {
        NvmeTcpHostTransport t = new NvmeTcpHostTransport(address, NvmeTcpHostOptions.defaults());
        hostSide.add(t::close);
        return t;
    }

    private NvmeHost host() {
        NvmeHost h = NvmeHost.random();
        hostSide.add(h);
        return h;
    }

    private HostController connect(NvmeHost host, ConnectOptions options) throws IOException {
        HostController c = host.connect(transport(), options.withCommandTimeout(WAIT));
        hostSide.add(c);
        return c;
    }

    /** Edits the file as an editor that saves in place (truncate and write). */
    private void editInPlace(Config config) throws IOException {
        Files.writeString(file, config.json());
    }

    /** Edits the file as an editor that writes a new file and renames it over the old one. */
    private void editByRename(Config config) throws IOException {
        Path tmp = dir.resolve("editor-save.tmp");
        Files.writeString(tmp, config.json());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits until the store committed a transaction of that generation; more than one edit fails the test. */
    private void awaitGeneration(long generation) throws InterruptedException {
        await("the edit is applied (generation " + generation + ")", () -> model.snapshot().generation() >= generation);
        assertEquals(generation, model.snapshot().generation(), "one transaction per edit");
        assertTrue(model.fileError().isEmpty(), () -> "refused: " + model.fileError());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT + " waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the I/O threads verified {@code more} further pairs, failing early if one of them failed. */
    private static void awaitProgress(List<VerifiedIo> workers, long more, String when) throws InterruptedException {
        long target = total(workers) + more;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (total(workers) < target) {
            for (VerifiedIo w : workers) {
                if (w.failure() != null) {
                    throw new AssertionError("I/O on A failed " + when, w.failure());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("I/O on A made no progress " + when);
            }
            Thread.sleep(5);
        }
    }

    private static long total(List<VerifiedIo> workers) {
        return workers.stream().mapToLong(VerifiedIo::ops).sum();
    }

    @Test
    void fileEditsApplyWhileSubsystemAKeepsItsConnectionsAndData() throws Exception {
        Config config = new Config(false, "127.0.0.2", "8009", true, SERIAL_A);
        startModel(config);

        // --- host A: continuous verified I/O on 2 queues from 4 threads, each thread in its own LBA region
        NvmeHost hostA = host();
        HostController ctrlA = connect(hostA, ConnectOptions.of(A).withIoQueues(A_QUEUES, 32));
        HostNamespace nsA = ctrlA.namespace(1);
        List<HostIoQueue> queuesA = List.copyOf(ctrlA.ioQueues());
        assertEquals(A_QUEUES, queuesA.size());
        ControllerInfo infoA = onlyControllerOf(A);
        assertEquals(ctrlA.cntlid(), infoA.cntlid());
        assertEquals(hostA.hostNqn(), infoA.hostNqn());
        assertEquals(A_QUEUES, infoA.ioQueues());
        monitor = new ConnectionMonitor(ctrlA, queuesA, infoA);
        long region = nsA.blocks() / A_THREADS;
        for (int i = 0; i < A_THREADS; i++) {
            workers.add(new VerifiedIo("io-A-" + i, queuesA.get(i % A_QUEUES), nsA, i * region, region, 1000 + i));
        }
        monitor.start();
        workers.forEach(VerifiedIo::start);

        // --- host C on subsystem C with an Asynchronous Event Request outstanding
        NvmeHost hostC = host();
        HostController ctrlC = connect(hostC, ConnectOptions.of(C).withIoQueues(1, 16));
        assertArrayEquals(new int[] {1, 2}, ctrlC.activeNamespaces(0));
        HostNamespace cNs2 = ctrlC.namespace(2);
        verifiedWriteRead(ctrlC.ioQueue(0), cNs2, 0, 64 * 1024, 3);
        assertTrue(accounting.snapshot(device(C, 2)).isPresent(), "C's namespace 2 is an accounting device");
        CompletableFuture<AsyncEvent> cEvent = ctrlC.asyncEventRequest();

        // --- a persistent discovery controller with the discovery log change event enabled
        NvmeHost hostD = host();
        HostController disc = connect(hostD, ConnectOptions.of(NvmeHost.DISCOVERY_NQN).withIoQueues(0, 32));
        disc.setFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 1 << 31);
        List<DiscoveryLogEntry> log0 = discoveryLog(disc);
        assertEquals(List.of(A, C), nvmSubsystems(log0));
        assertEquals(List.of("127.0.0.2:8009"), referrals(log0));
        CompletableFuture<AsyncEvent> discEvent = disc.asyncEventRequest();

        awaitProgress(workers, 20, "before the first edit");

        // === edit 1 (saved in place): subsystem B appears, linked to the port
        long generation = model.snapshot().generation();
        config = config.withB();
        editInPlace(config);
        awaitGeneration(generation + 1);
        assertTrue(core.subsystems().stream().anyMatch(s -> s.nqn().equals(B)), "subsystem B exists in the target");
        assertEventIs(discEvent, AsyncEventType.NOTICE_DISCOVERY_LOG_CHANGED, LogPageId.DISCOVERY);
        List<DiscoveryLogEntry> log1 = discoveryLog(disc);
        assertEquals(List.of(A, B, C), nvmSubsystems(log1));
        for (DiscoveryLogEntry e : log1) {
            if (e.subtype() == DiscoveryLogPage.SUBTYPE_NVME) {
                assertEquals(Integer.toString(address.getPort()), e.trsvcid(), "entries give the bound port");
                assertEquals("127.0.0.1", e.traddr());
            }
        }
        NvmeHost hostB = host();
        HostController ctrlB = connect(hostB, ConnectOptions.of(B).withIoQueues(1, 16));
        assertEquals("RELOAD-B-0001", ctrlB.identifyController().serialNumber());
        assertArrayEquals(new int[] {1}, ctrlB.activeNamespaces(0));
        verifiedWriteRead(ctrlB.ioQueue(0), ctrlB.namespace(1), 4096, 256 * 1024, 11);
        awaitProgress(workers, 20, "after subsystem B was added");
        assertFalse(cEvent.isDone(), "C saw no namespace event from adding B: " + cEvent);

        // === edit 2 (saved by rename): the port's referral points elsewhere
        discEvent = disc.asyncEventRequest();
        config = config.withReferral("127.0.0.3", "4421");
        editByRename(config);
        awaitGeneration(generation + 2);
        assertEquals(List.of("127.0.0.3"), core.ports().get(0).referrals().stream().map(r -> r.traddr()).toList());
        assertEventIs(discEvent, AsyncEventType.NOTICE_DISCOVERY_LOG_CHANGED, LogPageId.DISCOVERY);
        List<DiscoveryLogEntry> log2 = discoveryLog(disc);
        assertEquals(List.of("127.0.0.3:4421"), referrals(log2), "the discovery log shows the new referral only");
        DiscoveryLogEntry referral = log2.stream()
                .filter(e -> e.subtype() == DiscoveryLogPage.SUBTYPE_REFERRAL).findFirst().orElseThrow();
        assertEquals(DiscoveryLogPage.TRTYPE_TCP, referral.trtype());
        assertEquals(DiscoveryLogPage.ADRFAM_IPV4, referral.adrfam());
        assertEquals(2, referral.portId());
        assertEquals(NvmeHost.DISCOVERY_NQN, referral.subnqn());
        assertEquals(List.of(A, B, C), nvmSubsystems(log2));
        // a one-shot discovery (nvme discover) sees the same
        assertEquals(List.of("127.0.0.3:4421"), referrals(host().discover(transport()).entries()));
        awaitProgress(workers, 20, "after the referral changed");
        assertFalse(cEvent.isDone(), "C saw no namespace event from a referral change: " + cEvent);

        // === edit 3 (saved in place): namespace 2 of subsystem C is removed
        config = config.withoutCNs2();
        editInPlace(config);
        awaitGeneration(generation + 3);
        assertEventIs(cEvent, AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, LogPageId.CHANGED_NAMESPACE_LIST);
        assertArrayEquals(new int[] {2}, ctrlC.changedNamespaces(), "the Changed Namespace List names nsid 2");
        assertArrayEquals(new int[] {1}, ctrlC.activeNamespaces(0));
        NvmeStatusException gone = assertThrows(NvmeStatusException.class,
                () -> readBlocks(ctrlC.ioQueue(0), cNs2, 0, 8));
        assertEquals(Status.INVALID_NS, gone.code(), gone.toString());
        assertTrue(accounting.snapshot(device(C, 2)).isEmpty(), "its accounting device went with it");
        verifiedWriteRead(ctrlC.ioQueue(0), ctrlC.namespace(1), 0, 32 * 1024, 5);
        awaitProgress(workers, 20, "after C's namespace was removed");

        // === edit 4 (saved by rename): invalid, attr_serial of A longer than 20 characters
        String running = model.exportJson();
        long goodGeneration = model.snapshot().generation();
        int eventsBefore = fileEvents.size();
        editByRename(config.withSerialA("X".repeat(21)));
        await("the edit is refused", () -> model.fileError().isPresent());
        String error = model.fileError().get();
        assertTrue(error.contains("subsystems/" + A + "/attr_serial"), "names the field: " + error);
        assertTrue(error.contains("longer than 20 characters"), "says why: " + error);
        awaitProgress(workers, 20, "after the invalid edit");
        assertEquals(running, model.exportJson(), "the running configuration stays");
        assertEquals(goodGeneration, model.snapshot().generation());
        assertEquals(eventsBefore, fileEvents.size(), "no transaction committed");
        assertEquals(SERIAL_A, core.subsystems().stream().filter(s -> s.nqn().equals(A)).findFirst().orElseThrow()
                .serial());
        assertEquals(SERIAL_A, ctrlA.identifyController().serialNumber(), "the host still sees the old serial");

        // --- A never noticed: no I/O error, the same controller and connections all along
        workers.forEach(w -> {
            try {
                w.stop();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        monitor.stop();
        for (VerifiedIo w : workers) {
            assertNull(w.failure(), () -> "I/O on A failed: " + w.failure());
        }
        assertNull(monitor.problem(), () -> "A's connection changed: " + monitor.problem());
        System.out.printf("A: %d verified write+read pairs on %d threads, connection sampled %d times%n",
                total(workers), A_THREADS, monitor.samples());
        assertTrue(monitor.samples() > 10, "the monitor looked " + monitor.samples() + " times");
        assertEquals(infoA.cntlid(), ctrlA.cntlid());
        assertEquals(queuesA, ctrlA.ioQueues(), "the same I/O queue objects, not reconnected ones");
        assertEquals(infoA, onlyControllerOf(A));
        assertEquals(3, fileEvents.size(), "one transaction per valid edit, none for the invalid one");
        assertTrue(ctrlB.isConnected(), "B stays reachable");
        verifiedWriteRead(ctrlB.ioQueue(0), ctrlB.namespace(1), 0, 64 * 1024, 13);
    }

    /**
     * After a refused edit, putting back exactly the text that is in force must clear {@link ModelStoreImpl#fileError},
     * whose contract is "why the configuration file on disk is not the one in force".
     */
    @Test
    void revertingARefusedEditClearsTheError() throws Exception {
        Config config = new Config(false, "127.0.0.2", "8009", true, SERIAL_A);
        startModel(config);
        String good = Files.readString(file);
        editByRename(config.withSerialA("X".repeat(21)));
        await("the edit is refused", () -> model.fileError().isPresent());
        Files.writeString(file, good);
        await("the reverted file is accepted", () -> model.fileError().isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static String device(String nqn, int nsid) {
        return "jnvmet!" + nqn + "!ns" + nsid;
    }

    private ControllerInfo onlyControllerOf(String nqn) {
        List<ControllerInfo> list = core.controllers().stream().filter(c -> c.subsystemNqn().equals(nqn)).toList();
        assertEquals(1, list.size(), () -> "controllers of " + nqn + ": " + list);
        return list.get(0);
    }

    private static void assertEventIs(CompletableFuture<AsyncEvent> event, int info, int logPage) throws Exception {
        AsyncEvent e = event.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(new AsyncEvent(AsyncEventType.NOTICE, info, logPage), e);
    }

    /** The discovery log read through a connected discovery controller, clearing its change event (no RAE). */
    private static List<DiscoveryLogEntry> discoveryLog(HostController disc) throws IOException {
        ByteBuf header = Unpooled.wrappedBuffer(disc.getLogPage(LogPageId.DISCOVERY, 0,
                DiscoveryLogPage.HEADER_SIZE, 0, false));
        long numrec = DiscoveryLogPage.numrec(header);
        assertTrue(numrec > 0 && numrec <= 16, "NUMREC " + numrec);
        int length = DiscoveryLogPage.HEADER_SIZE + (int) numrec * DiscoveryLogPage.ENTRY_SIZE;
        ByteBuf log = Unpooled.wrappedBuffer(disc.getLogPage(LogPageId.DISCOVERY, 0, length, 0, false));
        assertEquals(numrec, DiscoveryLogPage.numrec(log), "the log changed while read");
        List<DiscoveryLogEntry> entries = new ArrayList<>();
        for (int i = 0; i < numrec; i++) {
            entries.add(DiscoveryLogEntry.parse(log, i));
        }
        return entries;
    }

    private static List<String> nvmSubsystems(List<DiscoveryLogEntry> log) {
        // sorted: the order of a port's links is not what this test is about
        return log.stream().filter(e -> e.subtype() == DiscoveryLogPage.SUBTYPE_NVME).map(DiscoveryLogEntry::subnqn)
                .sorted().toList();
    }

    private static List<String> referrals(List<DiscoveryLogEntry> log) {
        return log.stream().filter(e -> e.subtype() == DiscoveryLogPage.SUBTYPE_REFERRAL)
                .map(e -> e.traddr() + ":" + e.trsvcid()).toList();
    }

    private static void readBlocks(HostIoQueue q, HostNamespace ns, long slba, int blocks) throws IOException {
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * ns.blockSize());
        try {
            q.read(ns, slba, blocks, in);
        } finally {
            in.release();
        }
    }

    /** One write of a random pattern, read back and compared. */
    private static void verifiedWriteRead(HostIoQueue q, HostNamespace ns, long slba, int bytes, long seed)
            throws IOException {
        byte[] pattern = new byte[bytes];
        new Random(seed).nextBytes(pattern);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(bytes).writeBytes(pattern);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(bytes);
        try {
            assertTrue(q.write(ns, slba, out, false).isSuccess());
            assertTrue(q.read(ns, slba, bytes / ns.blockSize(), in).isSuccess());
            byte[] back = new byte[bytes];
            in.getBytes(0, back);
            assertTrue(Arrays.equals(pattern, back), "read back differs");
        } finally {
            out.release();
            in.release();
        }
    }

    /**
     * Samples, every few milliseconds, what would betray a reconnect of A: the host's admin channel and I/O queues
     * closing, or the target's controller of A changing (another cntlid, another peer address, other queues).
     */
    private final class ConnectionMonitor implements Runnable {
        private final HostController ctrl;
        private final List<HostIoQueue> queues;
        private final ControllerInfo expected;
        private final Thread thread = new Thread(this, "monitor-A");
        private volatile boolean stop;
        private volatile String problem;
        private volatile int samples;

        ConnectionMonitor(HostController ctrl, List<HostIoQueue> queues, ControllerInfo expected) {
            this.ctrl = ctrl;
            this.queues = queues;
            this.expected = expected;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }

        String problem() {
            return problem;
        }

        int samples() {
            return samples;
        }

        @Override
        public void run() {
            while (!stop && problem == null) {
                if (!ctrl.isConnected()) {
                    problem = "the host's controller of A was disconnected";
                } else if (!queues.stream().allMatch(HostIoQueue::isOpen)) {
                    problem = "an I/O queue of A closed";
                } else {
                    List<ControllerInfo> now = core.controllers().stream()
                            .filter(c -> c.subsystemNqn().equals(A)).toList();
                    if (!now.equals(List.of(expected))) {
                        problem = "the target's controllers of A are " + now + ", were " + expected;
                    }
                }
                samples++;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
