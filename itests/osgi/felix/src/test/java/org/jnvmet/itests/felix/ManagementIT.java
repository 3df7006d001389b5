package org.jnvmet.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.itests.support.BundleSwap;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.TcpHostSession;
import org.jnvmet.management.TargetJmx;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The management bundle in Felix: its MBeans reach the platform MBean server through the Aries JMX whiteboard (the
 * one Karaf's management feature runs, fed an MBeanServer service the way Karaf does), with the names and values a
 * JMX client sees, and its Felix Health Checks follow ports and backends as their bundles stop and start.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagementIT {
    private static final String NQN = "nqn.2024-01.org.jnvmet:itest-management";
    private static final int PORT_ID = 11;
    private static final int IDLE_PORT_ID = 12;
    private static final long WAIT_MS = 15_000;
    private static final String PORT_PROPERTY = "itest.management.port";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        File home = new File(System.getProperty("project.build.directory", "target"), "management-jnvmet-home");
        Files.createDirectories(home.toPath());
        Files.deleteIfExists(new File(home, "config.json").toPath());
        return options(
                frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
                frameworkProperty("ds.loglevel").value("warn"),
                systemProperty("jnvmet.home").value(home.getAbsolutePath()),
                systemProperty(PORT_PROPERTY).value(Integer.toString(FreePort.loopback())),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                FelixBundles.all(),
                junitBundles());
    }

    @Test
    public void mbeansAndHealthChecksFollowTheTarget() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ServiceRegistration<MBeanServer> serverService = context.registerService(MBeanServer.class, server, null);
        try {
            NvmeTarget target = context.getService(Services.await(context, NvmeTarget.class, null, WAIT_MS));
            int port = Integer.getInteger(PORT_PROPERTY);
            target.putSubsystem(SubsystemSpec.of(NQN));
            target.putNamespace(NQN, NamespaceSpec.of(1, "ram:16M"));
            target.putPort(PortSpec.tcp(PORT_ID, "127.0.0.1", port, List.of(NQN)));
            target.putPort(PortSpec.tcp(IDLE_PORT_ID, "127.0.0.1", FreePort.loopback(), List.of()));

            ObjectName targetName = TargetJmx.target();
            await(() -> server.isRegistered(targetName), "org.jnvmet:type=Target on the platform MBean server");
            TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, NQN, Duration.ofSeconds(15));
            ObjectName controllerName = new ObjectName("org.jnvmet:type=Controller,subsystem=\"" + NQN
                    + "\",cntlid=" + host.controller().cntlid());
            try {
                server.invoke(targetName, "refresh", null, null);
                ObjectName portName = new ObjectName("org.jnvmet:type=Port,id=" + PORT_ID);
                ObjectName subsystemName = new ObjectName("org.jnvmet:type=Subsystem,nqn=\"" + NQN + "\"");
                // the whiteboard registers asynchronously to the service events
                await(() -> server.isRegistered(controllerName), controllerName.toString());
                assertEquals(true, server.getAttribute(portName, "Listening"));
                assertEquals(Integer.toString(port), server.getAttribute(portName, "Trsvcid"));
                assertEquals(1, server.getAttribute(portName, "ControllerCount"));
                assertEquals(false, server.getAttribute(TargetJmx.port(IDLE_PORT_ID), "Listening"));
                CompositeData[] ns = (CompositeData[]) server.getAttribute(subsystemName, "Namespaces");
                assertEquals(1, ns.length);
                assertEquals("ram:16M", ns[0].get("devicePath"));
                assertEquals(host.controller().options().subsystemNqn(),
                        server.getAttribute(controllerName, "SubsystemNqn"));
                assertEquals(PORT_ID, server.getAttribute(controllerName, "PortId"));
                assertEquals(1, server.getAttribute(controllerName, "IoQueues"));
            } finally {
                host.close();
            }
            server.invoke(targetName, "refresh", null, null);
            await(() -> !server.isRegistered(controllerName), "controller MBean gone after disconnect");

            checkHealth();
        } finally {
            serverService.unregister();
        }
    }

    /** Ports and backends health while their bundles stop and start. */
    private void checkHealth() throws Exception {
        HealthCheck ports = healthCheck("jnvmet ports");
        HealthCheck backends = healthCheck("jnvmet backends");
        // port 12 has no subsystem: a warning, not a failure
        Result r = ports.execute();
        assertEquals(r.toString(), Result.Status.WARN, r.getStatus());
        assertTrue(r.toString(), messages(r, Result.Status.WARN).get(0).contains("no subsystems linked"));
        assertEquals(backends.execute().toString(), Result.Status.OK, backends.execute().getStatus());

        Bundle tcp = BundleSwap.bundle(context, "org.jnvmet.transport.tcp");
        Bundle ns = BundleSwap.bundle(context, "org.jnvmet.backend.ns");
        tcp.stop();
        ns.stop();
        try {
            Result down = ports.execute();
            assertEquals(down.toString(), Result.Status.CRITICAL, down.getStatus());
            assertEquals(List.of("port " + PORT_ID + " (tcp 127.0.0.1:" + Integer.getInteger(PORT_PROPERTY)
                    + ") not listening: transport tcp not registered"), messages(down, Result.Status.CRITICAL));
            Result noBackend = backends.execute();
            assertEquals(noBackend.toString(), Result.Status.CRITICAL, noBackend.getStatus());
            assertTrue(noBackend.toString(), messages(noBackend, Result.Status.CRITICAL).get(0)
                    .contains("namespaces/1 is enabled but no registered ram backend accepts ram:16M"));
        } finally {
            tcp.start();
            ns.start();
        }
        await(() -> ports.execute().getStatus() == Result.Status.WARN, "ports back to WARN (only the idle port)");
        await(() -> backends.execute().getStatus() == Result.Status.OK, "backends OK again");
    }

    private HealthCheck healthCheck(String name) {
        ServiceReference<HealthCheck> ref =
                Services.await(context, HealthCheck.class, "(&(hc.name=" + name + ")(hc.tags=jnvmet))", WAIT_MS);
        return context.getService(ref);
    }

    private static List<String> messages(Result r, Result.Status status) {
        List<String> out = new ArrayList<>();
        for (ResultLog.Entry e : r) {
            if (e.getStatus() == status) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + WAIT_MS + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }
}
