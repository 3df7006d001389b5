package org.jnvmet.accounting.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what Netty's leak detector (paranoid in tests, set by the parent pom) reports. Another class may have
 * created the detector first, so this chains a listener onto the live one instead of installing a factory.
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

    /** Collects garbage, lets the detector look at its reference queue, and returns the leaks reported so far. */
    static List<String> drain() {
        for (int round = 0; round < 4; round++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 16; i++) { // the detector polls its queue when it tracks a new buffer
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                b.release();
            }
        }
        List<String> seen = new ArrayList<>(LEAKS);
        LEAKS.removeAll(seen);
        return seen;
    }
}
