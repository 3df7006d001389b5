package org.jnvmet.api;

/**
 * A subsystem's passthru group as it runs: whether its controller is open and serving hosts, and if not why.
 *
 * @param subsystemNqn  the subsystem
 * @param devicePath    passthru/device_path as configured
 * @param enabled       passthru/enable as configured
 * @param active        the controller is open and hosts may connect (false while its device factory is not
 *                      registered, after the controller was removed, or while disabled)
 * @param deviceName    the open controller's name (e.g. {@code nvme0}, {@code emulated:demo}); null when not open
 * @param reason        why the subsystem does not serve hosts (e.g. "no device factory accepts /dev/nvme0",
 *                      "controller removed"); null when it does
 */
public record PassthruStatus(String subsystemNqn, String devicePath, boolean enabled, boolean active,
        String deviceName, String reason) {
}
