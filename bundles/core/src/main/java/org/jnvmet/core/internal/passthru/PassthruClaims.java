package org.jnvmet.core.internal.passthru;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One passthru subsystem per NVMe controller (Linux's {@code passthru_subsystems} xarray keyed by controller
 * instance): keyed by {@link org.jnvmet.spi.passthru.NvmeDevice#name()}, so two paths to one controller collide.
 */
public final class PassthruClaims {
    private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();

    /** Claims {@code deviceName} for {@code subsystemNqn}; false when another subsystem holds it (Linux: EINVAL). */
    public boolean claim(String deviceName, String subsystemNqn) {
        String owner = owners.putIfAbsent(deviceName, subsystemNqn);
        return owner == null || owner.equals(subsystemNqn);
    }

    public void release(String deviceName, String subsystemNqn) {
        owners.remove(deviceName, subsystemNqn);
    }

    public Optional<String> owner(String deviceName) {
        return Optional.ofNullable(owners.get(deviceName));
    }
}
