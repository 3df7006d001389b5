package org.jnvmet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "no leaks" assertions of every suite are only meaningful if a deliberate leak is caught. Installed here before
 * any ByteBuf class initialises, so the collecting factory creates the detector (this module forks a JVM per test
 * class, see its pom).
 */
class LeakWatchTest {
    static {
        LeakWatch.install();
    }

    @Test
    void deliberateLeakIsReportedOnce() {
        assertFalse(LeakWatch.chainedOntoLiveDetector, "the factory, not the chained listener, should be in use");
        LeakWatch.install(); // idempotent: still one report per leak
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        LeakWatch.drain();
        DeliberateLeak.once();
        List<String> leaks = LeakWatch.drain();
        assertEquals(1, leaks.size(), "a buffer dropped without release() must be reported once: " + leaks);
        assertTrue(leaks.get(0).startsWith("ByteBuf"), leaks.get(0));
        assertEquals(List.of(), LeakWatch.drain(), "drain forgets what it returned");
    }

    @Test
    void assertNoLeaksFailsOnALeakAndPassesWhenClean() {
        LeakWatch.drain();
        LeakWatch.assertNoLeaks();
        DeliberateLeak.once();
        AssertionError failure = assertThrows(AssertionError.class, LeakWatch::assertNoLeaks);
        assertTrue(failure.getMessage().startsWith("Netty reported leaked buffers"), failure.getMessage());
    }

    /** Drops a written pooled direct buffer without releasing it. */
    static final class DeliberateLeak {
        private DeliberateLeak() {
        }

        static void once() {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            b.writeLong(42);
        }
    }
}
