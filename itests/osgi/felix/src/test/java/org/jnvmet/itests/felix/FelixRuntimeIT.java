package org.jnvmet.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.NativeCall;
import org.jnvmet.itests.support.TcpHostSession;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.FabricsTransport;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The jnvmet bundles in a bare Felix framework with SCR: they resolve and start, the target, the TCP transport
 * and the RAM backend register their services, a Java host does verified I/O over NVMe/TCP on a port configured
 * through {@link NvmeTarget}, and the TCP transport bundle can be updated while the host does I/O.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class FelixRuntimeIT {
    private static final String NQN = "nqn.2024-01.org.jnvmet:itest-felix";
    private static final String PASSTHRU_NQN = "nqn.2024-01.org.jnvmet:itest-felix-passthru";
    private static final int PORT_ID = 7;
    private static final long WAIT_MS = 15_000;
    private static final String PORT_PROPERTY = "itest.tcp.port";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        // The model store's file lives in jnvmet.home: give it an empty directory, never /etc/nvmet.
        File home = new File(System.getProperty("project.build.directory", "target"), "felix-jnvmet-home");
        Files.createDirectories(home.toPath());
        Files.deleteIfExists(new File(home, "config.json").toPath());
        return options(
                frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
                // SCR reports activation failures through the log; print them instead (osgi-stack.md trap 6).
                frameworkProperty("ds.loglevel").value("warn"),
                systemProperty("jnvmet.home").value(home.getAbsolutePath()),
                systemProperty(PORT_PROPERTY).value(Integer.toString(FreePort.loopback())),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("INFO"),
                systemProperty("io.netty.leakDetection.level").value("paranoid"),
                FelixBundles.all(),
                junitBundles());
    }

    @Test
    public void a_everyJnvmetBundleIsActive() {
        Services.await(context, NvmeTarget.class, null, WAIT_MS);
        List<String> symbolicNames = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.jnvmet.")) {
                symbolicNames.add(b.getSymbolicName());
                assertEquals(b.getSymbolicName() + " is not active\n" + Services.diagnose(context), Bundle.ACTIVE,
                        b.getState());
            }
        }
        assertTrue(symbolicNames.toString(), symbolicNames.containsAll(List.of("org.jnvmet.protocol",
                "org.jnvmet.api", "org.jnvmet.core", "org.jnvmet.transport.tcp", "org.jnvmet.transport.loop",
                "org.jnvmet.backend.ns", "org.jnvmet.backend.passthru", "org.jnvmet.model", "org.jnvmet.accounting",
                "org.jnvmet.host")));
    }

    @Test
    public void b1_targetTransportAndBackendServicesAppear() {
        assertNotNull(Services.await(context, NvmeTarget.class, null, WAIT_MS));
        ServiceReference<FabricsTransport> tcp =
                Services.await(context, FabricsTransport.class, "(jnvmet.trtype=tcp)", WAIT_MS);
        assertEquals("tcp", context.getService(tcp).type());
        context.ungetService(tcp);
        Services.await(context, FabricsTransport.class, "(jnvmet.trtype=loop)", WAIT_MS);
        ServiceReference<BlockBackendFactory> ram =
                Services.await(context, BlockBackendFactory.class, "(jnvmet.backend=ram)", WAIT_MS);
        assertEquals("ram", context.getService(ram).kind());
        context.ungetService(ram);
    }

    /** Passthru's native path: its device factories register, and jnr-ffi calls into libc from the framework. */
    @Test
    public void b2_passthruFactoriesRegisterAndJnrFfiReachesLibc() {
        Services.await(context, NvmeDeviceFactory.class, "(jnvmet.device=emulated)", WAIT_MS);
        Services.await(context, NvmeDeviceFactory.class, "(jnvmet.device=chardev)", WAIT_MS);
        assertEquals(ProcessHandle.current().pid(), NativeCall.getpid());
    }

    @Test
    public void c_hostDoesVerifiedIoOnAPortConfiguredThroughNvmeTarget() throws Exception {
        int port = configureTcpPort();
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, NQN, Duration.ofSeconds(15))) {
            host.write(1, 0, 64, 11);
            host.write(1, 1000, 8, 12);
            host.verify(1, 0, 64, 11);
            host.verify(1, 1000, 8, 12);
        }
    }

    /** A passthru subsystem exporting an emulated NVMe controller (namespace 1: 64 MiB of 512-byte blocks). */
    @Test
    public void c2_hostDoesVerifiedIoThroughPassthruToAnEmulatedController() throws Exception {
        int port = configureTcpPort();
        NvmeTarget target = target();
        target.putSubsystem(SubsystemSpec.of(PASSTHRU_NQN));
        target.putPassthru(PASSTHRU_NQN, PassthruSpec.of("emulated:itest-felix"));
        target.putPort(PortSpec.tcp(PORT_ID, "127.0.0.1", port, List.of(NQN, PASSTHRU_NQN)));
        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, PASSTHRU_NQN, Duration.ofSeconds(15))) {
            assertEquals(512, host.namespace(1).blockSize());
            assertEquals(64L << 20, host.namespace(1).sizeBytes());
            host.write(1, 0, 64, 81);
            host.write(1, 2000, 8, 82);
            host.verify(1, 0, 64, 81);
            host.verify(1, 2000, 8, 82);
        }
    }

    /**
     * Updates the TCP transport bundle while a host writes and reads: its connections drop with the old transport,
     * the port listens again on the new one, the host reconnects, and every block it reads back is the one it
     * wrote, including those written before the update.
     */
    @Test
    public void d_tcpTransportBundleIsUpdatedWhileTheHostDoesIo() throws Exception {
        int port = configureTcpPort();
        ServiceReference<FabricsTransport> oldTransport =
                Services.await(context, FabricsTransport.class, "(jnvmet.trtype=tcp)", WAIT_MS);
        Bundle tcpBundle = bundle("org.jnvmet.transport.tcp");
        long oldModified = tcpBundle.getLastModified();

        try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, NQN, Duration.ofSeconds(15))) {
            host.write(1, 0, 64, 21);

            AtomicLong verifiedIos = new AtomicLong();
            AtomicLong failedIos = new AtomicLong();
            AtomicReference<Throwable> corruption = new AtomicReference<>();
            AtomicReference<Throwable> lastError = new AtomicReference<>();
            CountDownLatch stop = new CountDownLatch(1);
            Thread io = new Thread(() -> ioLoop(host, verifiedIos, failedIos, corruption, lastError, stop), "itest-host-io");
            io.start();
            try {
                awaitCount(verifiedIos, 20, () -> "verified I/Os before the update");

                tcpBundle.update();
                // Felix drops an old revision nobody is wired to at once; refresh only if it is still pending.
                FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
                if (wiring.getRemovalPendingBundles().contains(tcpBundle)) {
                    wiring.refreshBundles(List.of(tcpBundle));
                }

                ServiceReference<FabricsTransport> newTransport = awaitNewTransport(oldTransport);
                assertNotEquals(oldTransport.getProperty(Constants.SERVICE_ID),
                        newTransport.getProperty(Constants.SERVICE_ID));
                assertTrue("bundle was not updated", bundle("org.jnvmet.transport.tcp").getLastModified() >= oldModified);
                assertEquals(Bundle.ACTIVE, bundle("org.jnvmet.transport.tcp").getState());

                long afterUpdate = verifiedIos.get();
                awaitCount(verifiedIos, afterUpdate + 20, () -> "verified I/Os after the update (" + failedIos.get()
                        + " failed, last error: " + lastError.get() + ")");
            } finally {
                stop.countDown();
                io.join(30_000);
            }
            if (corruption.get() != null) {
                throw new AssertionError("data read back differs from data written", corruption.get());
            }
            // The old transport's code is gone, and its connections with it.
            assertTrue("the host never lost its connection while the transport was replaced", failedIos.get() > 0);
            assertTrue("port " + PORT_ID + " is not listening after the update: " + portStatus(),
                    portStatus().listening());
            host.verify(1, 0, 64, 21);
        }
    }

    /** Write-then-read-back until stopped; reconnects whenever the connection drops. */
    private static void ioLoop(TcpHostSession host, AtomicLong verified, AtomicLong failed,
            AtomicReference<Throwable> corruption, AtomicReference<Throwable> lastError, CountDownLatch stop) {
        long i = 0;
        while (stop.getCount() > 0) {
            long lba = 128 + (i % 64) * 8;
            long seed = 1000 + i;
            try {
                host.write(1, lba, 8, seed);
                host.verify(1, lba, 8, seed);
                verified.incrementAndGet();
                i++;
            } catch (AssertionError e) {
                corruption.compareAndSet(null, e);
                return;
            } catch (IOException | RuntimeException e) {
                failed.incrementAndGet();
                lastError.set(e);
                reconnect(host, lastError, stop);
            }
        }
    }

    private static void reconnect(TcpHostSession host, AtomicReference<Throwable> lastError, CountDownLatch stop) {
        while (stop.getCount() > 0) {
            try {
                host.reconnect();
                return;
            } catch (IOException | RuntimeException e) {
                lastError.set(e);
                try {
                    stop.await(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private ServiceReference<FabricsTransport> awaitNewTransport(ServiceReference<FabricsTransport> old)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<FabricsTransport> now =
                    Services.await(context, FabricsTransport.class, "(jnvmet.trtype=tcp)", WAIT_MS);
            if (!now.getProperty(Constants.SERVICE_ID).equals(old.getProperty(Constants.SERVICE_ID))) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the updated bundle registered no new tcp transport\n" + Services.diagnose(context));
    }

    private static void awaitCount(AtomicLong counter, long target, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (counter.get() < target) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("only " + counter.get() + " of " + target + " " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** A subsystem with one 64 MiB RAM namespace on a TCP port at 127.0.0.1, unless an earlier test made them. */
    private int configureTcpPort() {
        int port = Integer.getInteger(PORT_PROPERTY);
        NvmeTarget target = target();
        if (target.subsystems().stream().noneMatch(s -> s.nqn().equals(NQN))) {
            target.putSubsystem(SubsystemSpec.of(NQN));
            target.putNamespace(NQN, NamespaceSpec.of(1, "ram:64M"));
        }
        if (target.ports().stream().noneMatch(p -> p.portId() == PORT_ID)) {
            target.putPort(PortSpec.tcp(PORT_ID, "127.0.0.1", port, List.of(NQN)));
        }
        return port;
    }

    private PortStatus portStatus() {
        return target().portStatus().stream().filter(p -> p.portId() == PORT_ID).findFirst()
                .orElseThrow(() -> new AssertionError("no port " + PORT_ID));
    }

    private NvmeTarget target() {
        return context.getService(Services.await(context, NvmeTarget.class, null, WAIT_MS));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
