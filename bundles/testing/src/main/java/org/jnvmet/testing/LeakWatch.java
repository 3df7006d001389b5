package org.jnvmet.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what Netty's leak detector reports so a test can fail on it. Runs at PARANOID (the parent pom sets it
 * for surefire; {@link #install()} sets it too, for runs outside Maven). Works whether or not a ByteBuf class was
 * initialised first: detectors created afterwards come from a collecting factory, and the already-live ByteBuf
 * detector gets a listener that chains to whatever listener it had.
 */
public final class LeakWatch {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final ResourceLeakDetector.LeakListener COLLECTOR = (type, records) -> LEAKS.add(type + ": " + records);
    private static boolean installed;
    /** Whether install() found the ByteBuf detector already created by someone else (visible to the self-tests). */
    static boolean chainedOntoLiveDetector;

    private LeakWatch() {
    }

    /** Idempotent; call it before the code under test allocates (e.g. from a test class's static initialiser). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new CollectingFactory());
        watchByteBufDetector();
        installed = true;
    }

    /** Collects garbage and lets the detector report; returns and forgets the leaks seen so far. */
    public static List<String> drain() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20; i++) { // the detector polls its reference queue when it tracks a new buffer
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        List<String> seen = new ArrayList<>(LEAKS);
        LEAKS.removeAll(seen);
        return seen;
    }

    /** Fails (AssertionError, so any test framework reports it) when Netty reported a leak since the last drain. */
    public static void assertNoLeaks() {
        List<String> leaks = drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaked buffers ==> expected: <[]> but was: <" + leaks + ">");
        }
    }

    /**
     * Attaches the collector to the detector every ByteBuf shares (initialising it if need be). If our factory
     * created that detector it already reports to us; otherwise chain to its previous listener.
     */
    private static void watchByteBufDetector() {
        try {
            Field detectorField = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            detectorField.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) detectorField.get(null);
            Field listenerField = ResourceLeakDetector.class.getDeclaredField("leakListener");
            listenerField.setAccessible(true);
            ResourceLeakDetector.LeakListener previous = (ResourceLeakDetector.LeakListener) listenerField.get(detector);
            if (previous == COLLECTOR) {
                return;
            }
            chainedOntoLiveDetector = true;
            detector.setLeakListener((type, records) -> {
                COLLECTOR.onLeak(type, records);
                if (previous != null) {
                    previous.onLeak(type, records);
                }
            });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot watch Netty's leak detector", e);
        }
    }

    /** Makes every detector created from now on report to the collector. */
    private static final class CollectingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
            detector.setLeakListener(COLLECTOR);
            return detector;
        }
    }
}
