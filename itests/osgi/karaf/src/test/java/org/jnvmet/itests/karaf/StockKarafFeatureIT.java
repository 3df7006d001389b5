package org.jnvmet.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.karaf.features.FeaturesService;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.NativeCall;
import org.jnvmet.itests.support.TcpHostSession;
import org.jnvmet.model.ModelStore;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What a Karaf user does: {@code feature:repo-add} the jnvmet features repository and {@code feature:install
 * jnvmet} into a stock Apache Karaf. The target, the TCP transport, the RAM backend and the configuration store
 * come up; the store loads the nvmetcli-format file named by {@code jnvmet.config}, and a Java host does verified
 * I/O on the port that file configures.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StockKarafFeatureIT {
    private static final String NQN = "nqn.2024-01.org.jnvmet:itest-karaf";
    private static final long WAIT_MS = 30_000;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] configuration() throws IOException {
        int port = FreePort.loopback();
        Path config = KarafOptions.buildDirectory().resolve("karaf-jnvmet.json");
        Files.writeString(config, targetConfig(port), StandardCharsets.UTF_8);
        return options(
                KarafOptions.stockKarafWithJnvmetRepository(),
                // What bin/jnvmet --config does; the jnvmet-model feature's configuration reads this property.
                editConfigurationFilePut("etc/system.properties", "jnvmet.config", config.toString()),
                systemProperty("jnvmet.itest.features").value(KarafOptions.FEATURES_REPO),
                systemProperty("jnvmet.itest.port").value(Integer.toString(port)),
                systemProperty("jnvmet.itest.support").value(KarafOptions.supportBundle()));
    }

    @Test
    public void a_featureInstallJnvmetBringsTheServicesUp() throws Exception {
        features.addRepository(URI.create(System.getProperty("jnvmet.itest.features")));
        features.installFeature("jnvmet", EnumSet.noneOf(FeaturesService.Option.class));
        assertTrue(features.isInstalled(features.getFeature("jnvmet")));

        await(NvmeTarget.class, null);
        await(FabricsTransport.class, "(jnvmet.trtype=tcp)");
        await(FabricsTransport.class, "(jnvmet.trtype=loop)");
        await(BlockBackendFactory.class, "(jnvmet.backend=ram)");
        await(ModelStore.class, null);

        List<String> notActive = new ArrayList<>();
        int jnvmetBundles = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.jnvmet.")) {
                jnvmetBundles++;
                if (b.getState() != Bundle.ACTIVE) {
                    notActive.add(b.getSymbolicName() + " " + b.getState());
                }
            }
        }
        assertTrue("jnvmet bundles not active: " + notActive, notActive.isEmpty());
        assertTrue("only " + jnvmetBundles + " jnvmet bundles", jnvmetBundles >= 9);
    }

    @Test
    public void b_hostDoesVerifiedIoOnThePortTheConfigurationFileDefines() throws Exception {
        Bundle support = context.installBundle(System.getProperty("jnvmet.itest.support"));
        support.start();
        assertEquals(Bundle.ACTIVE, support.getState());
        HostCheck.verifiedIo(Integer.getInteger("jnvmet.itest.port"), NQN);
    }

    /** The passthru feature's native stack: jnr-ffi with the wrapped jffi and its native fragment. */
    @Test
    public void c_passthruFactoriesRegisterAndJnrFfiReachesLibc() throws Exception {
        await(NvmeDeviceFactory.class, "(jnvmet.device=emulated)");
        await(NvmeDeviceFactory.class, "(jnvmet.device=chardev)");
        assertEquals(ProcessHandle.current().pid(), HostCheck.nativePid());
    }

    /**
     * The jnvmet-management bundle (part of feature jnvmet): its MBeans reach the platform MBean server through
     * Karaf's own JMX whiteboard, and feature jnvmet-healthcheck brings its Felix Health Checks up (the optional
     * import of the health check API is wired once the API is installed).
     */
    @Test
    public void d_managementMBeansAndHealthChecks() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName target = new ObjectName("org.jnvmet:type=Target");
        ObjectName port = new ObjectName("org.jnvmet:type=Port,id=1");
        ObjectName subsystem = new ObjectName("org.jnvmet:type=Subsystem,nqn=\"" + NQN + "\"");
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!server.isRegistered(subsystem) && System.currentTimeMillis() < deadline) {
            if (server.isRegistered(target)) {
                server.invoke(target, "refresh", null, null);
            }
            Thread.sleep(100);
        }
        assertTrue("no " + subsystem + " among " + server.queryNames(new ObjectName("org.jnvmet:*"), null),
                server.isRegistered(subsystem));
        assertEquals(true, server.getAttribute(port, "Listening"));
        assertEquals(System.getProperty("jnvmet.itest.port"), server.getAttribute(port, "Trsvcid"));
        assertEquals(1, server.getAttribute(subsystem, "EnabledNamespaceCount"));

        features.installFeature("jnvmet-healthcheck", EnumSet.noneOf(FeaturesService.Option.class));
        assertEquals("OK", HealthCheckProbe.status(context, "jnvmet ports", WAIT_MS));
        assertEquals("OK", HealthCheckProbe.status(context, "jnvmet backends", WAIT_MS));
    }

    /** Loads the health check API only once feature jnvmet-healthcheck installed it. */
    static final class HealthCheckProbe {
        static String status(BundleContext context, String name, long waitMs) throws Exception {
            String f = "(&(objectClass=org.apache.felix.hc.api.HealthCheck)(hc.name=" + name + ")(hc.tags=jnvmet))";
            ServiceTracker<org.apache.felix.hc.api.HealthCheck, org.apache.felix.hc.api.HealthCheck> tracker =
                    new ServiceTracker<>(context, FrameworkUtil.createFilter(f), null);
            tracker.open();
            try {
                org.apache.felix.hc.api.HealthCheck check = tracker.waitForService(waitMs);
                if (check == null) {
                    throw new AssertionError("no health check " + f);
                }
                org.apache.felix.hc.api.Result r = check.execute();
                return r.getStatus() == org.apache.felix.hc.api.Result.Status.OK ? "OK" : r.toString();
            } finally {
                tracker.close();
            }
        }
    }

    /** Kept apart so the probe loads the support classes only after the features (and the support bundle) are in. */
    static final class HostCheck {
        static long nativePid() {
            return NativeCall.getpid();
        }

        static void verifiedIo(int port, String nqn) throws IOException {
            try (TcpHostSession host = TcpHostSession.connect("127.0.0.1", port, nqn, Duration.ofSeconds(30))) {
                host.write(1, 0, 32, 31);
                host.write(1, 5000, 16, 32);
                host.verify(1, 0, 32, 31);
                host.verify(1, 5000, 16, 32);
            }
        }
    }

    private <T> void await(Class<T> type, String filter) throws Exception {
        String f = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(f), null);
        tracker.open();
        try {
            if (tracker.waitForService(WAIT_MS) == null) {
                throw new AssertionError("no service " + f + " within " + WAIT_MS + " ms");
            }
        } finally {
            tracker.close();
        }
    }

    /** nvmetcli JSON: one TCP port on 127.0.0.1 exporting a subsystem with a 64 MiB RAM namespace. */
    private static String targetConfig(int port) {
        return """
                {
                  "hosts": [],
                  "ports": [
                    {
                      "addr": {"adrfam": "ipv4", "traddr": "127.0.0.1", "treq": "not specified",
                               "trsvcid": "%d", "trtype": "tcp"},
                      "portid": 1,
                      "referrals": [],
                      "subsystems": ["%s"]
                    }
                  ],
                  "subsystems": [
                    {
                      "allowed_hosts": [],
                      "attr": {"allow_any_host": "1"},
                      "namespaces": [{"device": {"path": "ram:64M"}, "enable": 1, "nsid": 1}],
                      "nqn": "%s"
                    }
                  ]
                }
                """.formatted(port, NQN, NQN);
    }
}
