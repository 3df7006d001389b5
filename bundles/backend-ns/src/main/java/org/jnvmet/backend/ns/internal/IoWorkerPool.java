package org.jnvmet.backend.ns.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded set of threads on which a factory's backends do blocking I/O (threads {@code <prefix>-N}). Workers
 * are never interrupted: an interrupt during FileChannel I/O closes the channel for every namespace user, so
 * {@link #close()} lets queued work finish instead of calling shutdownNow.
 */
public final class IoWorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IoWorkerPool.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    public static final int MAX_THREADS = 256;

    private final String prefix;
    private final ThreadPoolExecutor executor;

    public IoWorkerPool(String prefix, int threads, int queueCapacity) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("worker threads must be 1.." + MAX_THREADS + ": " + threads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
        }
        this.prefix = prefix;
        AtomicInteger counter = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queueCapacity),
                task -> new Worker(task, prefix + "-" + counter.incrementAndGet()));
        executor.allowCoreThreadTimeOut(true);
    }

    public enum Submit { QUEUED, FULL, CLOSED }

    Submit execute(Runnable task) {
        try {
            executor.execute(task);
            return Submit.QUEUED;
        } catch (RejectedExecutionException e) {
            return executor.isShutdown() ? Submit.CLOSED : Submit.FULL;
        }
    }

    /** Stops accepting work and waits (bounded) for queued and running I/O to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} workers still busy after {} s; leaving them to finish", prefix, CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Scratch buffers of the calling worker, or fresh ones when called from elsewhere. */
    static IoScratch scratch() {
        return Thread.currentThread() instanceof Worker w ? w.scratch : new IoScratch();
    }

    private static final class Worker extends Thread {
        final IoScratch scratch = new IoScratch();

        Worker(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    /** Per-worker aligned buffer for direct I/O that cannot use the request's buffer. */
    static final class IoScratch {
        static final int BOUNCE_SIZE = 256 * 1024;
        /** Largest direct I/O alignment supported (real devices use at most 64 KiB logical blocks). */
        static final int MAX_ALIGNMENT = 64 * 1024;
        /** Source for zeroing writes, shared read-only by all workers; aligned for direct I/O. */
        static final ByteBuffer ZEROES =
                ByteBuffer.allocateDirect(BOUNCE_SIZE + MAX_ALIGNMENT).alignedSlice(MAX_ALIGNMENT).asReadOnlyBuffer();
        private ByteBuffer bounce;
        private int alignment;

        /**
         * A cleared buffer of {@link #BOUNCE_SIZE} or more bytes (a multiple of {@code align}), aligned to
         * {@code align} (a power of two, at most {@link #MAX_ALIGNMENT}).
         */
        ByteBuffer bounce(int align) {
            if (bounce == null || alignment < align) {
                bounce = ByteBuffer.allocateDirect(BOUNCE_SIZE + align).alignedSlice(align);
                alignment = align;
            }
            return bounce.clear();
        }
    }
}
