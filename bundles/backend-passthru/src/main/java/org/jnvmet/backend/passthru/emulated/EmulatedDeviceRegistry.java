package org.jnvmet.backend.passthru.emulated;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The emulated controllers of a JVM by name, so that {@code emulated:NAME} paths reach the same controller across
 * enable/disable cycles and tests can reach the controller a target opened. Thread-safe.
 */
public final class EmulatedDeviceRegistry {
    private static final EmulatedDeviceRegistry SHARED = new EmulatedDeviceRegistry();

    private final ConcurrentHashMap<String, EmulatedNvmeController> controllers = new ConcurrentHashMap<>();
    private final Function<String, EmulatedControllerConfig> defaults;

    public EmulatedDeviceRegistry() {
        this(EmulatedControllerConfig::defaults);
    }

    /** A registry that creates missing controllers with {@code defaults.apply(name)}. */
    public EmulatedDeviceRegistry(Function<String, EmulatedControllerConfig> defaults) {
        this.defaults = defaults;
    }

    /** The registry the OSGi component uses; the one to reach from tests that run a target in the same JVM. */
    public static EmulatedDeviceRegistry shared() {
        return SHARED;
    }

    /** Creates a controller; fails if the name is taken. */
    public EmulatedNvmeController create(String name, EmulatedControllerConfig config) {
        EmulatedNvmeController c = new EmulatedNvmeController(name, config);
        if (controllers.putIfAbsent(name, c) != null) {
            c.shutdown();
            throw new IllegalStateException("emulated controller " + name + " already exists");
        }
        return c;
    }

    /** The controller of that name, created with the registry's defaults if missing. */
    public EmulatedNvmeController getOrCreate(String name) {
        return controllers.computeIfAbsent(name, n -> new EmulatedNvmeController(n, defaults.apply(n)));
    }

    public Optional<EmulatedNvmeController> get(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    /** Forgets a controller and shuts it down; its handles fail every command from now on. */
    public boolean remove(String name) {
        EmulatedNvmeController c = controllers.remove(name);
        if (c != null) {
            c.shutdown();
        }
        return c != null;
    }

    /** Removes every controller. */
    public void clear() {
        controllers.keySet().forEach(this::remove);
    }
}
