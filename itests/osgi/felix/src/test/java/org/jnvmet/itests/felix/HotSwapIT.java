package org.jnvmet.itests.felix;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.itests.support.FreePort;
import org.jnvmet.itests.support.HotSwapRun;
import org.jnvmet.itests.support.HotSwapScenario;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Hot swap under load in a bare Felix framework: 20 cycles of updating and refreshing the TCP transport, the
 * passthru bundle and the namespace backend bundle while two Java hosts write and read continuously and read back
 * every acknowledged write after each step ({@link HotSwapScenario}); afterwards the JVM holds no more threads,
 * direct buffers, direct memory, file descriptors or old class loaders than before the 20 cycles
 * ({@link HotSwapRun} has the tolerances). The class runs in a JVM of its own (failsafe reuseForks=false).
 *
 * <p>Fewer cycles for a quick look: {@code mvn verify -pl itests/osgi/felix -Dit.test=HotSwapIT
 * -DargLine=-Ditest.cycles=3}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final int CYCLES = Integer.getInteger("itest.cycles", 20);
    /** The whole test, connect to disconnect, stays well within the three minutes the issue allows. */
    private static final Duration BUDGET = Duration.ofSeconds(170);
    private static final String PORT_PROPERTY = "itest.hotswap.port";
    private static final String DIR_PROPERTY = "itest.hotswap.dir";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        File build = new File(System.getProperty("project.build.directory", "target"));
        File home = new File(build, "hotswap-jnvmet-home");
        Files.createDirectories(home.toPath());
        Files.deleteIfExists(new File(home, "config.json").toPath());
        File dir = new File(build, "hotswap-data");
        Files.createDirectories(dir.toPath());
        return options(
                frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
                frameworkProperty("ds.loglevel").value("warn"),
                systemProperty("jnvmet.home").value(home.getAbsolutePath()),
                systemProperty(PORT_PROPERTY).value(Integer.toString(FreePort.loopback())),
                systemProperty(DIR_PROPERTY).value(dir.getAbsolutePath()),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("io.netty.leakDetection.level").value("paranoid"),
                FelixBundles.all(),
                junitBundles());
    }

    @Test
    public void transportPassthruAndBackendUpdatesUnderVerifiedIoLeakNothing() throws Exception {
        long start = System.nanoTime();
        NvmeTarget target = context.getService(Services.await(context, NvmeTarget.class, null, 15_000));
        Path image = Path.of(System.getProperty(DIR_PROPERTY), "hotswap-ns1.img");
        Files.deleteIfExists(image);
        HotSwapRun.run(context, target, new HotSwapScenario.Settings(9, Integer.getInteger(PORT_PROPERTY), image,
                "nqn.2024-01.org.jnvmet:hotswap-file", "nqn.2024-01.org.jnvmet:hotswap-passthru", "hotswap",
                Duration.ofSeconds(20)), CYCLES);
        long total = (System.nanoTime() - start) / 1_000_000;
        System.out.println("hot swap test took " + total + " ms");
        assertTrue("the test took " + total + " ms", total < BUDGET.toMillis());
    }
}
