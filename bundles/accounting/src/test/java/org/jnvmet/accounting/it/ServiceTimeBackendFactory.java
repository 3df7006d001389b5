package org.jnvmet.accounting.it;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * RAM namespaces that behave like a disk serving one command at a time: {@code delayed:<micros>:ram:<size>} queues
 * commands in order and runs each on the real RAM backend {@code micros} after the previous one finished (on a timer
 * thread). A RAM namespace completes inline in microseconds, so however hard a host drives it the transport, not the
 * device, is the bottleneck and the device idles between commands. This one can do at most 1/micros commands a
 * second, far fewer than the transport delivers, so a host keeping 32 commands outstanding keeps them queued in the
 * device: saturated, the way a disk at 100% utilisation is.
 */
final class ServiceTimeBackendFactory implements BlockBackendFactory, AutoCloseable {
    static final String PREFIX = "delayed:";

    private final RamBackendFactory ram;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "device-service-time");
        t.setDaemon(true);
        return t;
    });

    /** Time the devices had nothing queued after their first command, by their own (nominal) schedule. */
    private final AtomicLong idleNanos = new AtomicLong();

    ServiceTimeBackendFactory(RamBackendFactory ram) {
        this.ram = ram;
    }

    static String devicePath(long micros, String ramPath) {
        return PREFIX + micros + ":" + ramPath;
    }

    long idleNanos() {
        return idleNanos.get();
    }

    @Override
    public String kind() {
        return "delayed";
    }

    @Override
    public boolean accepts(BackendSpec spec) {
        return spec.devicePath() != null && spec.devicePath().startsWith(PREFIX);
    }

    @Override
    public BlockBackend open(BackendSpec spec) throws IOException {
        String rest = spec.devicePath().substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IOException("expected delayed:<micros>:ram:<size>, got " + spec.devicePath());
        }
        long micros = Long.parseLong(rest.substring(0, colon));
        BlockBackend inner = ram.open(new BackendSpec(rest.substring(colon + 1), spec.bufferedIo(),
                spec.blockSize()));
        return new Delayed(inner, micros);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class Delayed implements BlockBackend {
        private final BlockBackend inner;
        private final long serviceNanos;
        /** When the command last queued finishes (System.nanoTime()); guarded by this. */
        private long busyUntil;
        private boolean used;

        Delayed(BlockBackend inner, long micros) {
            this.inner = inner;
            this.serviceNanos = TimeUnit.MICROSECONDS.toNanos(micros);
        }

        /** Queues the command behind those already queued; it finishes one service time after the previous one. */
        private void later(Runnable command) {
            long delay;
            synchronized (this) {
                long now = System.nanoTime();
                if (used && now - busyUntil > 0) {
                    idleNanos.addAndGet(now - busyUntil);
                }
                used = true;
                busyUntil = Math.max(now, busyUntil) + serviceNanos;
                delay = busyUntil - now;
            }
            timer.schedule(command, delay, TimeUnit.NANOSECONDS);
        }

        @Override
        public long capacity() {
            return inner.capacity();
        }

        @Override
        public int blockSizeShift() {
            return inner.blockSizeShift();
        }

        @Override
        public boolean volatileWriteCache() {
            return inner.volatileWriteCache();
        }

        @Override
        public boolean supportsDeallocate() {
            return inner.supportsDeallocate();
        }

        @Override
        public void read(NvmeRequest req, long offset, int length) {
            later(() -> inner.read(req, offset, length));
        }

        @Override
        public void write(NvmeRequest req, long offset, int length, boolean fua) {
            later(() -> inner.write(req, offset, length, fua));
        }

        @Override
        public void flush(NvmeRequest req) {
            later(() -> inner.flush(req));
        }

        @Override
        public void writeZeroes(NvmeRequest req, long offset, long length) {
            later(() -> inner.writeZeroes(req, offset, length));
        }

        @Override
        public void deallocate(NvmeRequest req, long[] ranges, int count) {
            long[] copy = ranges.clone(); // the core reuses its range array
            later(() -> inner.deallocate(req, copy, count));
        }

        @Override
        public long revalidate() throws IOException {
            return inner.revalidate();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
