package org.jnvmet.model.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;

/**
 * A host thread doing verified I/O until stopped: writes a random pattern of 4..64 KiB at a random LBA of its own
 * region, reads it back and compares. The first failure (error status, exception, data mismatch) is kept and ends
 * the thread; {@link #ops()} counts verified write+read pairs.
 */
final class VerifiedIo implements Runnable {
    private static final int MAX_BLOCKS = 128;

    private final HostIoQueue queue;
    private final HostNamespace ns;
    private final long firstLba;
    private final long regionBlocks;
    private final Random random;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    VerifiedIo(String name, HostIoQueue queue, HostNamespace ns, long firstLba, long regionBlocks, long seed) {
        if (regionBlocks <= MAX_BLOCKS || firstLba + regionBlocks > ns.blocks()) {
            throw new IllegalArgumentException("region " + firstLba + "+" + regionBlocks + " of " + ns.blocks());
        }
        this.queue = queue;
        this.ns = ns;
        this.firstLba = firstLba;
        this.regionBlocks = regionBlocks;
        this.random = new Random(seed);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the pair in progress and waits for the thread. */
    void stop() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        if (thread.isAlive()) {
            failure.compareAndSet(null, new AssertionError(thread.getName() + " did not stop within 30 s"));
        }
    }

    long ops() {
        return ops.get();
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void run() {
        int blockSize = ns.blockSize();
        int maxBytes = MAX_BLOCKS * blockSize;
        byte[] pattern = new byte[maxBytes];
        byte[] back = new byte[maxBytes];
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(maxBytes, maxBytes);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(maxBytes, maxBytes);
        try {
            while (!stop) {
                int blocks = (1 + random.nextInt(MAX_BLOCKS / 8)) * 8;
                int bytes = blocks * blockSize;
                long slba = firstLba + (long) random.nextInt((int) (regionBlocks - blocks));
                random.nextBytes(pattern);
                out.clear().writeBytes(pattern, 0, bytes);
                Completion w = queue.write(ns, slba, out, false);
                if (!w.isSuccess()) {
                    throw new AssertionError("write of " + blocks + " blocks at " + slba + ": " + w);
                }
                in.clear();
                Completion r = queue.read(ns, slba, blocks, in);
                if (!r.isSuccess()) {
                    throw new AssertionError("read of " + blocks + " blocks at " + slba + ": " + r);
                }
                if (in.readableBytes() != bytes) {
                    throw new AssertionError("read returned " + in.readableBytes() + " of " + bytes + " bytes");
                }
                in.getBytes(0, back, 0, bytes);
                if (!Arrays.equals(pattern, 0, bytes, back, 0, bytes)) {
                    throw new AssertionError("data read back at LBA " + slba + " (" + blocks
                            + " blocks) differs from what was written, first at byte "
                            + Arrays.mismatch(pattern, 0, bytes, back, 0, bytes));
                }
                ops.incrementAndGet();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            out.release();
            in.release();
        }
    }
}
