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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens namespaces on block devices (Linux io-cmd-bdev.c): capacity is sysfs {@code size} &times; 512, the block
 * size is the device's {@code queue/logical_block_size}, the volatile write cache follows {@code queue/write_cache}.
 * {@code buffered_io=false} opens the device O_DIRECT. I/O runs on threads {@code jnvmet-bdev-N}.
 */
@Component(service = BlockBackendFactory.class, configurationPid = BlockDeviceBackendFactory.PID,
        property = BlockBackendFactory.BACKEND_PROPERTY + "=" + BlockDeviceBackendFactory.KIND)
@Designate(ocd = BlockDeviceBackendFactory.Config.class)
public final class BlockDeviceBackendFactory extends ChannelBackendFactory {
    public static final String KIND = "bdev";
    public static final String PID = "org.jnvmet.backend.bdev";
    private static final Logger LOG = LoggerFactory.getLogger(BlockDeviceBackendFactory.class);

    @ObjectClassDefinition(name = "jnvmet block device namespace backend",
            description = "Namespaces backed by block devices")
    public @interface Config {
        @AttributeDefinition(name = "Worker threads", description = "Threads doing blocking device I/O", min = "1",
                max = "256")
        int workerThreads() default DEFAULT_WORKER_THREADS;

        @AttributeDefinition(name = "Queue capacity",
                description = "I/Os that may wait for a worker; beyond it commands fail with Command Interrupted "
                        + "(retryable)", min = "1")
        int queueCapacity() default DEFAULT_QUEUE_CAPACITY;

        @AttributeDefinition(name = "sysfs root", description = "Where sysfs is mounted")
        String sysfsRoot() default "/sys";
    }

    private final Path sysfsRoot;

    @Activate
    public BlockDeviceBackendFactory(Config config) {
        this(config.workerThreads(), config.queueCapacity(), Path.of(config.sysfsRoot()));
    }

    public BlockDeviceBackendFactory() {
        this(DEFAULT_WORKER_THREADS, DEFAULT_QUEUE_CAPACITY, Path.of("/sys"));
    }

    public BlockDeviceBackendFactory(int workerThreads, int queueCapacity, Path sysfsRoot) {
        this(workerThreads, queueCapacity, sysfsRoot, ChannelOpener.DEFAULT);
    }

    BlockDeviceBackendFactory(int workerThreads, int queueCapacity, Path sysfsRoot, ChannelOpener opener) {
        super("jnvmet-" + KIND, workerThreads, queueCapacity, opener);
        this.sysfsRoot = sysfsRoot;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Block devices only: not a regular file, and known to sysfs. */
    @Override
    public boolean accepts(BackendSpec spec) {
        Path path = pathOrNull(spec);
        return path != null && Files.exists(path) && !Files.isRegularFile(path)
                && SysfsBlockDevice.find(sysfsRoot, path).isPresent();
    }

    @Override
    ChannelBackend.Device describe(BackendSpec spec, Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            throw new IOException("device_path '" + spec.devicePath() + "' is a regular file, not a block device");
        }
        return deviceFor(spec, path);
    }

    /** The device as sysfs describes it (no check that {@code path} is a device node: tests use a fake sysfs). */
    ChannelBackend.Device deviceFor(BackendSpec spec, Path path) throws IOException {
        SysfsBlockDevice sysfs = SysfsBlockDevice.find(sysfsRoot, path).orElseThrow(() -> new IOException(
                "device_path '" + spec.devicePath() + "' is not a block device (nothing under " + sysfsRoot
                        + "/class/block)"));
        int blockSize = sysfs.logicalBlockSize();
        if (spec.blockSize() != 0 && spec.blockSize() != blockSize) {
            LOG.info("device_path '{}': block size {} ignored, the device's logical block size is {}",
                    spec.devicePath(), spec.blockSize(), blockSize);
        }
        return new ChannelBackend.Device(spec.devicePath(), path, spec.bufferedIo(),
                Integer.numberOfTrailingZeros(blockSize), sysfs.writeBack(), channel -> sysfs.sizeBytes());
    }

    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
