package org.jnvmet.backend.ns.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.Locale;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens RAM namespaces, {@code device_path} {@code ram:SIZE} (e.g. {@code ram:64M}, {@code ram:1G},
 * {@code ram:512K} or a byte count). All namespaces of this factory share one direct-memory budget.
 */
@Component(service = BlockBackendFactory.class, configurationPid = RamBackendFactory.PID,
        property = BlockBackendFactory.BACKEND_PROPERTY + "=" + RamBackendFactory.KIND)
@Designate(ocd = RamBackendFactory.Config.class)
public final class RamBackendFactory implements BlockBackendFactory, AutoCloseable {
    public static final String KIND = "ram";
    public static final String PID = "org.jnvmet.backend.ram";
    public static final String PREFIX = "ram:";
    /** Largest RAM namespace: 1 TiB keeps the chunk table at a million entries. */
    public static final long MAX_SIZE = 1L << 40;

    @ObjectClassDefinition(name = "jnvmet RAM namespace backend",
            description = "Namespaces held in direct memory (device_path ram:SIZE)")
    public @interface Config {
        @AttributeDefinition(name = "Memory limit",
                description = "Direct memory all RAM namespaces may use together, e.g. 4G; empty for half of the "
                        + "JVM's direct memory limit. Namespaces larger than this are refused; writes beyond it fail "
                        + "with Capacity Exceeded.")
        String memoryLimit() default "";
    }

    private final MemoryBudget budget;
    // Chunks are long-lived and owned by their namespace's table, which frees them on deallocate/close; leak
    // tracking would record a stack trace on every copy at PARANOID, and MemoryBudget accounts for them instead.
    private final ByteBufAllocator chunkAllocator = new UnpooledByteBufAllocator(true, true, true);
    private final OpenBackends<RamBackend> open = new OpenBackends<>();

    @Activate
    public RamBackendFactory(Config config) {
        this(config.memoryLimit().isBlank() ? defaultMemoryLimit() : ByteSize.parse(config.memoryLimit()));
    }

    public RamBackendFactory() {
        this(defaultMemoryLimit());
    }

    public RamBackendFactory(long memoryLimit) {
        this.budget = new MemoryBudget(memoryLimit);
    }

    static long defaultMemoryLimit() {
        return Math.max(PlatformDependent.maxDirectMemory() / 2, RamBackend.CHUNK_SIZE);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean accepts(BackendSpec spec) {
        String path = spec.devicePath();
        return path != null && path.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    @Override
    public BlockBackend open(BackendSpec spec) throws IOException {
        if (!accepts(spec)) {
            throw new IOException("device_path '" + spec.devicePath() + "' is not a RAM device (ram:SIZE)");
        }
        int blockShift = BlockSizes.configuredShift(spec);
        long size = parseSize(spec.devicePath(), blockShift);
        RamBackend backend = new RamBackend(spec.devicePath(), size, blockShift, budget, chunkAllocator, open::remove);
        open.add(backend);
        return backend;
    }

    private long parseSize(String devicePath, int blockShift) throws IOException {
        long size;
        try {
            size = ByteSize.parse(devicePath.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException("device_path '" + devicePath + "': " + e.getMessage(), e);
        }
        long blockSize = 1L << blockShift;
        if (size < blockSize || size % blockSize != 0) {
            throw new IOException("device_path '" + devicePath + "': size " + size
                    + " is not a positive multiple of the block size " + blockSize);
        }
        if (size > MAX_SIZE) {
            throw new IOException("device_path '" + devicePath + "': size " + size + " exceeds the maximum "
                    + MAX_SIZE + " bytes of a RAM namespace");
        }
        if (size > budget.limit()) {
            throw new IOException("device_path '" + devicePath + "': size " + size + " exceeds the RAM memory limit "
                    + budget.limit() + " bytes (configuration " + PID + " memoryLimit)");
        }
        return size;
    }

    /** The shared budget (diagnostics, tests). */
    public MemoryBudget memoryBudget() {
        return budget;
    }

    ByteBufAllocator chunkAllocator() {
        return chunkAllocator;
    }

    /** Closes the namespaces still open, freeing their memory. */
    @Deactivate
    @Override
    public void close() {
        open.closeAll();
    }
}
