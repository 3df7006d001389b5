package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak assertions of the other tests are only meaningful if a deliberate leak is caught. */
class LeakCheckSelfTest {
    static {
        LeakCheck.install();
    }

    @Test
    void deliberateLeakIsReported() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        LeakCheck.drain();
        leakOne();
        List<String> leaks = LeakCheck.drain();
        assertFalse(leaks.isEmpty(), "a buffer dropped without release() was not reported");
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
