package org.jnvmet.benchmark;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;

/**
 * Keeps {@code queueDepth} I/Os of one workload outstanding (spread evenly over the given host I/O queues, one in
 * the standard runs): every completion, delivered on
 * the host's event loop, records its latency and submits the next I/O from that same thread, so the depth never
 * dips and no thread hand-off is added. All state but the phase flags belongs to the event loop; the driving
 * thread reads results only after {@link #stopAndDrain} (which orders it after the last completion).
 */
final class IoEngine {
    private final HostNamespace ns;
    private final EventLoop loop;
    private final Workload w;
    private final int blocksPerIo;
    /** Number of I/O-sized, aligned positions in the namespace. */
    private final long positions;
    private final long limit;
    private final SplittableRandom random;
    private final Slot[] slots;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private volatile boolean measuring;
    private volatile boolean stopping;
    private long nextPosition;
    private long issued;
    private int outstanding;
    private long measuredIos;
    private long errors;
    private volatile Throwable firstError;

    /** One outstanding command: its buffer and submit time; also its completion callback (no lambda per I/O). */
    private final class Slot implements BiConsumer<Completion, Throwable> {
        final ByteBuf buf;
        final HostIoQueue queue;
        long submitNanos;

        Slot(ByteBuf buf, HostIoQueue queue) {
            this.buf = buf;
            this.queue = queue;
        }

        @Override
        public void accept(Completion c, Throwable t) {
            completed(this, c, t);
        }
    }

    /**
     * @param totalIos stop after this many I/Os (preconditioning), or -1 to run until {@link #stopAndDrain}
     */
    IoEngine(java.util.List<HostIoQueue> queues, HostNamespace ns, EventLoop loop, Workload w, long seed,
            long totalIos) {
        this.ns = ns;
        this.loop = loop;
        this.w = w;
        if (w.ioSize() % ns.blockSize() != 0) {
            throw new IllegalArgumentException(w.name() + ": I/O size is not a multiple of " + ns.blockSize());
        }
        this.blocksPerIo = w.ioSize() / ns.blockSize();
        this.positions = ns.blocks() / blocksPerIo;
        this.limit = totalIos;
        this.random = new SplittableRandom(seed);
        this.slots = new Slot[w.queueDepth()];
        byte[] pattern = new byte[w.ioSize()];
        random.split().nextBytes(pattern);
        for (int i = 0; i < slots.length; i++) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(w.ioSize(), w.ioSize());
            if (w.write()) {
                b.writeBytes(pattern);
            }
            slots[i] = new Slot(b, queues.get(i % queues.size()));
        }
    }

    void start() {
        loop.execute(() -> {
            outstanding = slots.length;
            for (Slot s : slots) {
                submit(s);
            }
        });
    }

    void beginMeasure() {
        measuring = true;
    }

    void endMeasure() {
        measuring = false;
    }

    /** Stops submitting and waits until every outstanding I/O completed. */
    void stopAndDrain(long timeoutSeconds) throws Exception {
        stopping = true;
        drained.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Waits for a count-limited run ({@code totalIos >= 0}) to finish. */
    void awaitDone(long timeoutSeconds) throws Exception {
        drained.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    private void submit(Slot s) {
        long lba = nextLba();
        issued++;
        s.submitNanos = System.nanoTime();
        CompletableFuture<Completion> f;
        if (w.write()) {
            f = s.queue.writeAsync(ns, lba, s.buf, false);
        } else {
            s.buf.clear();
            f = s.queue.readAsync(ns, lba, blocksPerIo, s.buf);
        }
        f.whenComplete(s);
    }

    private long nextLba() {
        long pos;
        if (w.random()) {
            pos = random.nextLong(positions);
        } else {
            pos = nextPosition;
            nextPosition = pos + 1 == positions ? 0 : pos + 1;
        }
        return pos * blocksPerIo;
    }

    private void completed(Slot s, Completion c, Throwable t) {
        long now = System.nanoTime();
        if (t != null || !c.isSuccess()) {
            errors++;
            if (firstError == null) {
                firstError = t != null ? t : new IllegalStateException("completion " + c);
            }
            stopping = true;
        } else if (measuring) {
            histogram.record(now - s.submitNanos);
            measuredIos++;
        }
        if (stopping || (limit >= 0 && issued >= limit)) {
            if (--outstanding == 0) {
                drained.complete(null);
            }
            return;
        }
        submit(s);
    }

    /** Releases the buffers; only after the engine drained. */
    void release() {
        for (Slot s : slots) {
            s.buf.release();
        }
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    long measuredIos() {
        return measuredIos;
    }

    long errors() {
        return errors;
    }

    Throwable firstError() {
        return firstError;
    }
}
