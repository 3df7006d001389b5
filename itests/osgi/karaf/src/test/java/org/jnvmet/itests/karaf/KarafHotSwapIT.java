package org.jnvmet.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Felix hot-swap run ({@link HotSwapRun}) in a stock Karaf with {@code feature:install jnvmet}: the TCP
 * transport, passthru and namespace backend bundles are updated and refreshed 20 times each, as
 * {@code bundle:update} does, under verified I/O from two Java hosts, and Karaf's JVM is left with no more threads,
 * direct memory, file descriptors or old class loaders than before.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafHotSwapIT {
    private static final int CYCLES = Integer.getInteger("itest.cycles", 20);

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] configuration() throws IOException {
        Path data = KarafOptions.buildDirectory().resolve("karaf-hotswap-data");
        Files.createDirectories(data);
        return options(
                KarafOptions.stockKarafWithJnvmetRepository(),
                systemProperty("jnvmet.itest.features").value(KarafOptions.FEATURES_REPO),
                systemProperty("jnvmet.itest.port").value(Integer.toString(FreePort.loopback())),
                systemProperty("jnvmet.itest.support").value(KarafOptions.supportBundle()),
                systemProperty("jnvmet.itest.data").value(data.toString()),
                systemProperty("itest.cycles").value(Integer.toString(CYCLES)));
    }

    @Test
    public void bundleUpdatesUnderVerifiedIoLeakNothing() throws Exception {
        features.addRepository(URI.create(System.getProperty("jnvmet.itest.features")));
        features.installFeature("jnvmet", EnumSet.noneOf(FeaturesService.Option.class));
        Bundle support = context.installBundle(System.getProperty("jnvmet.itest.support"));
        support.start();
        assertEquals(Bundle.ACTIVE, support.getState());
        ServiceTracker<NvmeTarget, NvmeTarget> tracker = new ServiceTracker<>(context, NvmeTarget.class, null);
        tracker.open();
        try {
            NvmeTarget target = tracker.waitForService(30_000);
            if (target == null) {
                throw new AssertionError("no NvmeTarget service");
            }
            Run.hotSwap(context, target, Integer.getInteger("jnvmet.itest.port"),
                    Path.of(System.getProperty("jnvmet.itest.data"), "hotswap-ns1.img"),
                    Integer.getInteger("itest.cycles", 20));
        } finally {
            tracker.close();
        }
    }

    /** Kept apart so the probe loads the support classes only after the support bundle is installed. */
    static final class Run {
        static void hotSwap(BundleContext context, NvmeTarget target, int port, Path image, int cycles)
                throws Exception {
            Files.deleteIfExists(image);
            HotSwapRun.run(context, target, new HotSwapScenario.Settings(9, port, image,
                    "nqn.2024-01.org.jnvmet:karaf-hotswap-file", "nqn.2024-01.org.jnvmet:karaf-hotswap-passthru",
                    "karaf-hotswap", Duration.ofSeconds(30)), cycles);
        }
    }
}
