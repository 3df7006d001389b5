package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's leak reports so tests can fail on them. Must be installed before the first ByteBuf class is
 * initialised (every test class calls {@link #install()} from its static initialiser); {@link LeakCheckSelfTest}
 * proves that it is.
 */
final class LeakCheck {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
                detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
                return detector;
            }
        });
    }

    private LeakCheck() {
    }

    static void install() {
        // the static initialiser did the work
    }

    /** Collects garbage and lets the detector report; returns and forgets the leaks seen so far. */
    static List<String> drain() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20; i++) { // the detector polls its reference queue when tracking a new buffer
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        List<String> seen = new ArrayList<>(LEAKS);
        LEAKS.removeAll(seen);
        return seen;
    }

    static void assertNoLeaks() {
        assertEquals(List.of(), drain(), "Netty reported leaked buffers");
    }
}
