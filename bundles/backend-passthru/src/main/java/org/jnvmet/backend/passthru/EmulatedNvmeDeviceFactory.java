package org.jnvmet.backend.passthru;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jnvmet.backend.passthru.emulated.EmulatedControllerConfig;
import org.jnvmet.backend.passthru.emulated.EmulatedDeviceRegistry;
import org.jnvmet.backend.passthru.emulated.EmulatedNamespaceConfig;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.QueueLimits;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens emulated controllers, device_path {@code emulated:NAME}: the controller of that name in the registry,
 * created on first use with the configured namespaces.
 */
@Component(service = NvmeDeviceFactory.class, configurationPid = EmulatedNvmeDeviceFactory.PID,
        property = NvmeDeviceFactory.DEVICE_PROPERTY + "=" + EmulatedNvmeDeviceFactory.KIND)
@Designate(ocd = EmulatedNvmeDeviceFactory.Config.class)
public final class EmulatedNvmeDeviceFactory implements NvmeDeviceFactory {
    public static final String KIND = "emulated";
    public static final String PID = "org.jnvmet.passthru.emulated";
    public static final String PREFIX = "emulated:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @ObjectClassDefinition(name = "jnvmet emulated NVMe controllers",
            description = "RAM-backed NVMe controllers for passthru subsystems (device_path emulated:NAME)")
    public @interface Config {
        @AttributeDefinition(name = "Namespaces", description = "Namespaces of a newly created controller, "
                + "comma separated SIZE[/BLOCK][+md], e.g. 64M/512,64M/4096,16M/512+md (+md also lists LBA formats "
                + "with metadata); NSIDs are 1, 2, ...")
        String namespaces() default "64M/512,64M/4096,16M/512+md";

        @AttributeDefinition(name = "max_hw_sectors_kb", description = "Largest transfer of the emulated driver")
        int maxHwSectorsKb() default 512;

        @AttributeDefinition(name = "max_segments", description = "Largest number of segments of one transfer")
        int maxSegments() default 128;
    }

    private final EmulatedDeviceRegistry registry;
    /** Configuration of controllers this factory creates; null for the registry's defaults. */
    private final Function<String, EmulatedControllerConfig> newControllers;

    @Activate
    public EmulatedNvmeDeviceFactory(Config config) {
        this(EmulatedDeviceRegistry.shared(), configured(config));
    }

    /** A factory over {@code registry}, creating missing controllers with the registry's defaults. */
    public EmulatedNvmeDeviceFactory(EmulatedDeviceRegistry registry) {
        this(registry, null);
    }

    public EmulatedNvmeDeviceFactory(EmulatedDeviceRegistry registry,
            Function<String, EmulatedControllerConfig> newControllers) {
        this.registry = registry;
        this.newControllers = newControllers;
    }

    public EmulatedNvmeDeviceFactory() {
        this(new EmulatedDeviceRegistry());
    }

    private static Function<String, EmulatedControllerConfig> configured(Config config) {
        List<EmulatedNamespaceConfig> ns = parseNamespaces(config.namespaces());
        QueueLimits limits = QueueLimits.of(config.maxHwSectorsKb(), config.maxSegments());
        return name -> EmulatedControllerConfig.defaults(name).withNamespaces(ns).withQueueLimits(limits);
    }

    public EmulatedDeviceRegistry registry() {
        return registry;
    }

    /**
     * Shuts the controllers down when the component goes away: after a bundle update the old revision's controllers
     * (their command threads and class loader) would otherwise live on. Their RAM contents go with them, as a
     * real controller's would on power loss. SCR 2.2 reports no usable reason on update, so none is checked.
     */
    @Deactivate
    void deactivate() {
        registry.clear();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean accepts(String devicePath) {
        return devicePath != null && devicePath.startsWith(PREFIX);
    }

    @Override
    public NvmeDevice open(String devicePath) throws IOException {
        if (!accepts(devicePath)) {
            throw new IOException("device_path '" + devicePath + "' is not an emulated controller (emulated:NAME)");
        }
        String name = devicePath.substring(PREFIX.length());
        if (!NAME.matcher(name).matches()) {
            throw new IOException("device_path '" + devicePath
                    + "': the name must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (newControllers != null && registry.get(name).isEmpty()) {
            try {
                registry.create(name, newControllers.apply(name));
            } catch (IllegalStateException raced) {
                // created concurrently: use that one
            }
        }
        return registry.getOrCreate(name).open(devicePath);
    }

    static List<EmulatedNamespaceConfig> parseNamespaces(String text) {
        List<EmulatedNamespaceConfig> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(EmulatedNamespaceConfig.parse(out.size() + 1, part));
            }
        }
        return out;
    }
}
