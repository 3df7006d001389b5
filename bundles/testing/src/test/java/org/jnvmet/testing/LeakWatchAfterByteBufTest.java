package org.jnvmet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Installed after a ByteBuf already created Netty's detector (as in suites where other classes allocate first):
 * the chained listener must still catch a leak (own JVM, see this module's pom).
 */
class LeakWatchAfterByteBufTest {
    static {
        ByteBuf first = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        first.release();
        LeakWatch.install();
    }

    @Test
    void deliberateLeakIsReportedOnce() {
        assertTrue(LeakWatch.chainedOntoLiveDetector, "the detector existed before install()");
        LeakWatch.drain();
        LeakWatchTest.DeliberateLeak.once();
        List<String> leaks = LeakWatch.drain();
        assertEquals(1, leaks.size(), "a buffer dropped without release() must be reported once: " + leaks);
    }
}
