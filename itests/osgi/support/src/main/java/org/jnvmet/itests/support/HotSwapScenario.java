package org.jnvmet.itests.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.FabricsTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Bundles of a running target replaced one after the other while two Java hosts do verified I/O through one NVMe/TCP
 * port: one host on a subsystem with a file namespace, one on a passthru subsystem exporting an emulated
 * controller. One {@link #cycle} updates and refreshes the TCP transport (both hosts lose their connections and
 * reconnect), the passthru bundle (the passthru subsystem goes down with its device factory and comes back), and
 * the namespace backend bundle (the file namespace is closed and opened again). After each step every write either
 * host had acknowledged is read back.
 *
 * <p>The emulated controller keeps its data in the passthru bundle's memory, like a RAM namespace, so replacing that
 * bundle replaces the controller by an empty one: the passthru host then accepts that all its blocks read as
 * zeroes (never a mix of kept and lost or foreign data), and only across that step. The file namespace keeps every
 * acknowledged write across all three steps.
 */
public final class HotSwapScenario implements AutoCloseable {
    public static final String TCP_BUNDLE = "org.jnvmet.transport.tcp";
    public static final String PASSTHRU_BUNDLE = "org.jnvmet.backend.passthru";
    public static final String NAMESPACE_BUNDLE = "org.jnvmet.backend.ns";
    private static final String TCP_FILTER = "(" + FabricsTransport.TRTYPE_PROPERTY + "=tcp)";
    private static final String EMULATED_FILTER = "(" + NvmeDeviceFactory.DEVICE_PROPERTY + "=emulated)";
    private static final String FILE_FILTER = "(" + BlockBackendFactory.BACKEND_PROPERTY + "=file)";
    private static final int SLOTS = 128;
    /** Writes each host must get acknowledged after each step before the next one starts. */
    private static final int WRITES_PER_STEP = 10;

    /**
     * @param portId        the TCP port's ID
     * @param tcpPort       where it listens on 127.0.0.1
     * @param imageFile     the file namespace's backing file (created, 16 MiB)
     * @param emulatedName  the emulated controller: device_path emulated:NAME
     * @param stepTimeout   how long one step may take to come back
     */
    public record Settings(int portId, int tcpPort, Path imageFile, String fileNqn, String passthruNqn,
            String emulatedName, Duration stepTimeout) {
    }

    private final BundleContext context;
    private final NvmeTarget target;
    private final Settings settings;
    private final Consumer<String> log;
    private final DeviceSwaps passthruSwaps = new DeviceSwaps();
    private final AtomicInteger tcpUnregistrations = new AtomicInteger();
    private final ServiceListener tcpListener = event -> {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            tcpUnregistrations.incrementAndGet();
        }
    };
    private final List<WeakReference<ClassLoader>> replacedLoaders = new ArrayList<>();
    /** Step name to total and longest milliseconds, for the report. */
    private final Map<String, long[]> stepMillis = new TreeMap<>();
    private TcpHostSession fileSession;
    private TcpHostSession passthruSession;
    private VerifiedWorkload fileHost;
    private VerifiedWorkload passthruHost;

    public HotSwapScenario(BundleContext context, NvmeTarget target, Settings settings, Consumer<String> log)
            throws InvalidSyntaxException {
        this.context = context;
        this.target = target;
        this.settings = settings;
        this.log = log;
        context.addServiceListener(tcpListener,
                "(&(" + Constants.OBJECTCLASS + "=" + FabricsTransport.class.getName() + ")" + TCP_FILTER + ")");
    }

    /** Subsystems, namespace, passthru and port; then both hosts connect and start their workloads. */
    public void start() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(settings.imageFile().toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        target.putSubsystem(SubsystemSpec.of(settings.fileNqn()));
        // buffered I/O: the page cache keeps acknowledged writes across close and reopen on any file system
        target.putNamespace(settings.fileNqn(), new NamespaceSpec(1, settings.imageFile().toString(), null, null, 1,
                true, true, 512));
        target.putSubsystem(SubsystemSpec.of(settings.passthruNqn()));
        target.putPassthru(settings.passthruNqn(), PassthruSpec.of("emulated:" + settings.emulatedName()));
        target.putPort(PortSpec.tcp(settings.portId(), "127.0.0.1", settings.tcpPort(),
                List.of(settings.fileNqn(), settings.passthruNqn())));
        Duration patience = settings.stepTimeout();
        fileSession = TcpHostSession.connect("127.0.0.1", settings.tcpPort(), settings.fileNqn(), patience);
        passthruSession = TcpHostSession.connect("127.0.0.1", settings.tcpPort(), settings.passthruNqn(), patience);
        fileHost = new VerifiedWorkload("file-host", fileSession, 1, SLOTS, null, 1).start();
        passthruHost = new VerifiedWorkload("passthru-host", passthruSession, 1, SLOTS, passthruSwaps, 2).start();
    }

    public VerifiedWorkload fileHost() {
        return fileHost;
    }

    public VerifiedWorkload passthruHost() {
        return passthruHost;
    }

    /** Waits until both hosts have had {@code writes} more writes acknowledged. */
    public void awaitWrites(int writes) throws InterruptedException {
        fileHost.awaitWrites(writes, settings.stepTimeout());
        passthruHost.awaitWrites(writes, settings.stepTimeout());
    }

    /** One update of each of the three bundles, each followed by a full read-back on the hosts it affects. */
    public void cycle(int n) throws Exception {
        swapTransport(n);
        swapPassthru(n);
        swapNamespaceBackend(n);
    }

    private void swapTransport(int n) throws Exception {
        long id = serviceId(FabricsTransport.class, TCP_FILTER);
        long fileReconnects = fileHost.reconnects();
        long passthruReconnects = passthruHost.reconnects();
        int unregistrations = tcpUnregistrations.get();
        long t0 = System.nanoTime();
        replacedLoaders.add(BundleSwap.updateAndRefresh(context, TCP_BUNDLE, settings.stepTimeout()));
        awaitNewService(FabricsTransport.class, TCP_FILTER, id);
        await(() -> portStatus().listening(), () -> "port " + settings.portId() + " listening again: " + portStatus());
        long t1 = System.nanoTime();
        check(unregistrations < tcpUnregistrations.get(), "cycle " + n + ": the tcp transport never went away");
        readBack(fileHost, VerifiedWorkload.Outcome.ALL_INTACT);
        readBack(passthruHost, VerifiedWorkload.Outcome.ALL_INTACT);
        // The old transport's connections went with it: both hosts had to reconnect.
        check(fileHost.reconnects() > fileReconnects, "cycle " + n + ": file host kept its connection");
        check(passthruHost.reconnects() > passthruReconnects, "cycle " + n + ": passthru host kept its connection");
        awaitWrites(WRITES_PER_STEP);
        record("tcp: update+refresh until listening", t0, t1);
        record("tcp: until both hosts verified and writing", t1, System.nanoTime());
    }

    private void swapPassthru(int n) throws Exception {
        long id = serviceId(NvmeDeviceFactory.class, EMULATED_FILTER);
        long reconnects = passthruHost.reconnects();
        long t0 = System.nanoTime();
        passthruSwaps.begin();
        try {
            replacedLoaders.add(BundleSwap.updateAndRefresh(context, PASSTHRU_BUNDLE, settings.stepTimeout()));
            awaitNewService(NvmeDeviceFactory.class, EMULATED_FILTER, id);
            await(() -> passthruStatus().active(), () -> "passthru active again: " + passthruStatus());
        } finally {
            passthruSwaps.end();
        }
        long t1 = System.nanoTime();
        readBack(passthruHost, null);
        check(passthruHost.reconnects() > reconnects,
                "cycle " + n + ": the passthru host kept its connection to a deleted controller");
        readBack(fileHost, VerifiedWorkload.Outcome.ALL_INTACT);
        awaitWrites(WRITES_PER_STEP);
        record("passthru: update+refresh until active", t0, t1);
        record("passthru: until hosts verified and writing", t1, System.nanoTime());
    }

    private void swapNamespaceBackend(int n) throws Exception {
        long id = serviceId(BlockBackendFactory.class, FILE_FILTER);
        long t0 = System.nanoTime();
        replacedLoaders.add(BundleSwap.updateAndRefresh(context, NAMESPACE_BUNDLE, settings.stepTimeout()));
        awaitNewService(BlockBackendFactory.class, FILE_FILTER, id);
        long t1 = System.nanoTime();
        // The file keeps every acknowledged write, whether or not the host's I/O hit the gap.
        readBack(fileHost, VerifiedWorkload.Outcome.ALL_INTACT);
        readBack(passthruHost, VerifiedWorkload.Outcome.ALL_INTACT);
        awaitWrites(WRITES_PER_STEP);
        record("backend-ns: update+refresh until registered", t0, t1);
        record("backend-ns: until hosts verified and writing", t1, System.nanoTime());
    }

    /** A full read-back asked for now; {@code expected} null accepts either outcome. */
    private void readBack(VerifiedWorkload host, VerifiedWorkload.Outcome expected) throws InterruptedException {
        VerifiedWorkload.Outcome outcome = host.awaitVerification(host.requestVerification(), settings.stepTimeout());
        if (expected != null && outcome != expected) {
            throw new AssertionError(host.status() + ": read-back outcome " + outcome + ", expected " + expected);
        }
    }

    /** Stops both hosts' I/O (no command in flight), for counting resources. */
    public void pauseHosts() throws InterruptedException {
        fileHost.pause(settings.stepTimeout());
        passthruHost.pause(settings.stepTimeout());
    }

    public void resumeHosts() {
        fileHost.resume();
        passthruHost.resume();
    }

    /** How many class loaders of replaced bundle revisions are still reachable (after a garbage collection). */
    public int reachableReplacedLoaders() {
        System.gc();
        return (int) replacedLoaders.stream().filter(r -> r.get() != null).count();
    }

    public int replacedRevisions() {
        return replacedLoaders.size();
    }

    /** Total and longest time of each step kind. */
    public String timings() {
        StringBuilder sb = new StringBuilder();
        stepMillis.forEach((step, t) -> sb.append("\n  ").append(step).append(": total ").append(t[0])
                .append(" ms, longest ").append(t[1]).append(" ms"));
        return sb.toString();
    }

    private void record(String step, long fromNanos, long toNanos) {
        long ms = (toNanos - fromNanos) / 1_000_000;
        long[] t = stepMillis.computeIfAbsent(step, k -> new long[2]);
        t[0] += ms;
        t[1] = Math.max(t[1], ms);
    }

    private PortStatus portStatus() {
        return target.portStatus().stream().filter(p -> p.portId() == settings.portId()).findFirst()
                .orElseThrow(() -> new AssertionError("no port " + settings.portId()));
    }

    private PassthruStatus passthruStatus() {
        return target.passthruStatus().stream().filter(p -> p.subsystemNqn().equals(settings.passthruNqn()))
                .findFirst().orElseThrow(() -> new AssertionError("no passthru status for " + settings.passthruNqn()));
    }

    private <T> long serviceId(Class<T> type, String filter) throws Exception {
        ServiceReference<T> ref = awaitService(type, filter, -1);
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private <T> void awaitNewService(Class<T> type, String filter, long oldId) throws Exception {
        awaitService(type, filter, oldId);
    }

    /** A service of {@code type} matching {@code filter} whose service.id is not {@code notId}. */
    private <T> ServiceReference<T> awaitService(Class<T> type, String filter, long notId) throws Exception {
        long deadline = System.nanoTime() + settings.stepTimeout().toNanos();
        while (true) {
            for (ServiceReference<T> ref : context.getServiceReferences(type, filter)) {
                if ((Long) ref.getProperty(Constants.SERVICE_ID) != notId) {
                    return ref;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new " + type.getSimpleName() + " " + filter + " within "
                        + settings.stepTimeout());
            }
            Thread.sleep(5);
        }
    }

    private void await(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + settings.stepTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + settings.stepTimeout() + ": " + what.get());
            }
            Thread.sleep(5);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Stops the workloads (rethrowing their failures), disconnects the hosts and removes the configuration. */
    @Override
    public void close() throws Exception {
        context.removeServiceListener(tcpListener);
        try {
            if (fileHost != null) {
                fileHost.close();
            }
            if (passthruHost != null) {
                passthruHost.close();
            }
        } finally {
            if (fileSession != null) {
                fileSession.close();
            }
            if (passthruSession != null) {
                passthruSession.close();
            }
            target.removePort(settings.portId());
            target.removeSubsystem(settings.fileNqn());
            target.removeSubsystem(settings.passthruNqn());
        }
    }
}
