package org.jnvmet.backend.ns.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;

/** What the file and block device factories share: the worker pool they own and the backends they opened. */
abstract class ChannelBackendFactory implements BlockBackendFactory, AutoCloseable {
    static final int DEFAULT_WORKER_THREADS = 16;
    static final int DEFAULT_QUEUE_CAPACITY = 4096;

    private final IoWorkerPool pool;
    private final ChannelOpener opener;
    private final OpenBackends<ChannelBackend> open = new OpenBackends<>();

    ChannelBackendFactory(String threadPrefix, int workerThreads, int queueCapacity, ChannelOpener opener) {
        this.pool = new IoWorkerPool(threadPrefix, workerThreads, queueCapacity);
        this.opener = opener;
    }

    @Override
    public final BlockBackend open(BackendSpec spec) throws IOException {
        return open(describe(spec, path(spec)));
    }

    ChannelBackend open(ChannelBackend.Device device) throws IOException {
        ChannelBackend backend = new ChannelBackend(device, pool, opener, open::remove);
        open.add(backend);
        return backend;
    }

    /** Checks the spec and describes the device to open; throws with a message naming device_path. */
    abstract ChannelBackend.Device describe(BackendSpec spec, Path path) throws IOException;

    /** Closes the namespaces still open, then the worker pool (waiting for queued I/O). */
    @Override
    public void close() {
        open.closeAll();
        pool.close();
    }

    int openCount() {
        return open.size();
    }

    /** The spec's path, or null for RAM specs and strings that are not paths. */
    static Path pathOrNull(BackendSpec spec) {
        String p = spec.devicePath();
        if (p == null || p.isEmpty() || p.toLowerCase(Locale.ROOT).startsWith(RamBackendFactory.PREFIX)) {
            return null;
        }
        try {
            return Path.of(p);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path path(BackendSpec spec) throws IOException {
        Path path = pathOrNull(spec);
        if (path == null) {
            throw new IOException("device_path '" + spec.devicePath() + "' is not a file or device path");
        }
        return path;
    }
}
