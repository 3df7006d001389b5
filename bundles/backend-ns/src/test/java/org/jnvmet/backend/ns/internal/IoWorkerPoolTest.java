package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IoWorkerPoolTest {
    @Test
    void boundedQueueRejectsWhenFullAndAfterClose() throws Exception {
        IoWorkerPool pool = new IoWorkerPool("jnvmet-test", 1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> name = new AtomicReference<>();
        AtomicBoolean queuedRan = new AtomicBoolean();
        assertEquals(IoWorkerPool.Submit.QUEUED, pool.execute(() -> {
            name.set(Thread.currentThread().getName());
            running.countDown();
            await(release);
        }));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertEquals(IoWorkerPool.Submit.QUEUED, pool.execute(() -> queuedRan.set(true)));
        assertEquals(IoWorkerPool.Submit.FULL, pool.execute(() -> { }));
        release.countDown();
        pool.close();
        assertTrue(queuedRan.get(), "close lets queued I/O finish");
        assertEquals(IoWorkerPool.Submit.CLOSED, pool.execute(() -> { }));
        assertEquals("jnvmet-test-1", name.get());
    }

    @Test
    void workersAreNotInterruptedByClose() throws Exception {
        IoWorkerPool pool = new IoWorkerPool("jnvmet-test", 1, 4);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        pool.execute(() -> {
            running.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < end) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.set(true); // an interrupt would close a FileChannel mid-I/O
                }
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        pool.close();
        assertFalse(interrupted.get());
    }

    @Test
    void scratchBufferIsAlignedAndSized() {
        IoWorkerPool.IoScratch scratch = new IoWorkerPool.IoScratch();
        for (int align : new int[] {512, 4096, 65536}) {
            var b = scratch.bounce(align);
            assertEquals(0, b.alignmentOffset(0, align));
            assertTrue(b.capacity() >= IoWorkerPool.IoScratch.BOUNCE_SIZE && b.capacity() % align == 0);
        }
        assertEquals(0, IoWorkerPool.IoScratch.ZEROES.alignmentOffset(0, IoWorkerPool.IoScratch.MAX_ALIGNMENT));
    }

    @Test
    void rejectsSillySizes() {
        assertThrows(IllegalArgumentException.class, () -> new IoWorkerPool("x", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IoWorkerPool("x", 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new IoWorkerPool("x", 1, 0));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
