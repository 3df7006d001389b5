package org.jnvmet.backend.ns.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens namespaces backed by regular files (Linux io-cmd-file.c): capacity is the file size, the block size comes
 * from the spec (512 or 4096), {@code buffered_io=false} asks for O_DIRECT. I/O runs on threads
 * {@code jnvmet-file-N}.
 */
@Component(service = BlockBackendFactory.class, configurationPid = FileBackendFactory.PID,
        property = BlockBackendFactory.BACKEND_PROPERTY + "=" + FileBackendFactory.KIND)
@Designate(ocd = FileBackendFactory.Config.class)
public final class FileBackendFactory extends ChannelBackendFactory {
    public static final String KIND = "file";
    public static final String PID = "org.jnvmet.backend.file";

    @ObjectClassDefinition(name = "jnvmet file namespace backend",
            description = "Namespaces backed by regular files")
    public @interface Config {
        @AttributeDefinition(name = "Worker threads", description = "Threads doing blocking file I/O", min = "1",
                max = "256")
        int workerThreads() default DEFAULT_WORKER_THREADS;

        @AttributeDefinition(name = "Queue capacity",
                description = "I/Os that may wait for a worker; beyond it commands fail with Command Interrupted "
                        + "(retryable)", min = "1")
        int queueCapacity() default DEFAULT_QUEUE_CAPACITY;
    }

    @Activate
    public FileBackendFactory(Config config) {
        this(config.workerThreads(), config.queueCapacity());
    }

    public FileBackendFactory() {
        this(DEFAULT_WORKER_THREADS, DEFAULT_QUEUE_CAPACITY);
    }

    public FileBackendFactory(int workerThreads, int queueCapacity) {
        this(workerThreads, queueCapacity, ChannelOpener.DEFAULT);
    }

    FileBackendFactory(int workerThreads, int queueCapacity, ChannelOpener opener) {
        super("jnvmet-" + KIND, workerThreads, queueCapacity, opener);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean accepts(BackendSpec spec) {
        Path path = pathOrNull(spec);
        return path != null && Files.isRegularFile(path);
    }

    @Override
    ChannelBackend.Device describe(BackendSpec spec, Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("device_path '" + spec.devicePath() + "' is not a regular file");
        }
        int blockShift = BlockSizes.configuredShift(spec);
        // the page cache or the disk under the file system may hold writes until Flush
        return new ChannelBackend.Device(spec.devicePath(), path, spec.bufferedIo(), blockShift, true,
                channel -> channel.size());
    }

    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
