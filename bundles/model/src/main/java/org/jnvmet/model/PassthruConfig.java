package org.jnvmet.model;

import java.util.Set;

/**
 * A subsystem's {@code passthru/} group, for a passthru backend.
 *
 * @param subsystemNqn  the subsystem
 * @param devicePath    device_path: the NVMe controller character device (e.g. /dev/nvme0)
 * @param enabled       enable
 * @param adminTimeout  admin_timeout as configfs stores it (jiffies on Linux; 0 = default)
 * @param ioTimeout     io_timeout (0 = default)
 * @param clearIds      clear_ids
 * @param allowedAdminOpcodes  jnvmet extra {@code allowed_admin_opcodes}: admin opcodes Linux never forwards that
 *                             this subsystem forwards anyway (Firmware Commit/Download, Format NVM, Sanitize)
 */
public record PassthruConfig(String subsystemNqn, String devicePath, boolean enabled, long adminTimeout,
        long ioTimeout, long clearIds, Set<Integer> allowedAdminOpcodes) {
    public PassthruConfig {
        allowedAdminOpcodes = Set.copyOf(allowedAdminOpcodes);
    }
}
