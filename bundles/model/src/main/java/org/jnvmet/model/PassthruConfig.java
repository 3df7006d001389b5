package org.jnvmet.model;

import java.util.Set;

/**
 * A subsystem's {@code passthru/} group, for a passthru backend.
 *
 * @param subsystemNqn  the subsystem
 * @param devicePath    device_path: the NVMe controller character device (e.g. /dev/nvme0)
 * @param enabled       enable
 * @param adminTimeout  admin_timeout as written (0 = default): milliseconds, unless the group's jnvmet attribute
 *                      {@code jiffies_hz} is set, which says these are jiffies of a kernel with that HZ (as a
 *                      configfs dump holds them; the target converts them to milliseconds)
 * @param ioTimeout     io_timeout, in the same unit (0 = default)
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
