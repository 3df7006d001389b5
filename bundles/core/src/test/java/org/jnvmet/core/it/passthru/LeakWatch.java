package org.jnvmet.core.it.passthru;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the leak reports of Netty's ByteBuf leak detector (paranoid in tests, set by the parent pom). Other test
 * classes may have initialised the detector before us, so instead of installing a factory this attaches a listener
 * to the live detector, chaining to any listener already there.
 */
final class LeakWatch {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private LeakWatch() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Field detectorField = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            detectorField.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) detectorField.get(null);
            Field listenerField = ResourceLeakDetector.class.getDeclaredField("leakListener");
            listenerField.setAccessible(true);
            ResourceLeakDetector.LeakListener previous = (ResourceLeakDetector.LeakListener) listenerField.get(detector);
            detector.setLeakListener((type, records) -> {
                LEAKS.add(type + ": " + records);
                if (previous != null) {
                    previous.onLeak(type, records);
                }
            });
            installed = true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot watch Netty's leak detector", e);
        }
    }

    /** Collects garbage and makes the detector look at what was collected; returns the leaks reported so far. */
    static List<String> drain() {
        for (int round = 0; round < 4; round++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 16; i++) { // the detector checks its reference queue when it tracks a new buffer
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                b.release();
            }
        }
        List<String> seen = new ArrayList<>(LEAKS);
        LEAKS.removeAll(seen);
        return seen;
    }
}
