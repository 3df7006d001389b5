package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that {@link LeakCheck} sees a leak, so tests asserting "no leaks" can fail. */
class LeakCheckSelfTest {
    static {
        LeakCheck.install();
    }

    @Test
    void aDroppedBufferIsReported() {
        LeakCheck.drain();
        leak();
        List<String> leaks = LeakCheck.drain();
        assertFalse(leaks.isEmpty(), "a buffer dropped without release() must be reported");
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(1);
    }
}
