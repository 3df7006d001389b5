package org.jnvmet.spi.passthru;

import java.util.Set;
import org.jnvmet.protocol.nvme.AdminOpcode;

/**
 * A subsystem's configfs {@code passthru/} group, plus jnvmet's opt-in admin allowlist.
 *
 * @param devicePath          device_path: the controller, e.g. /dev/nvme0, a udev symlink, or emulated:NAME
 * @param enable              enable
 * @param adminTimeoutMs      admin_timeout in milliseconds (Linux stores jiffies); 0 = driver default (60 s)
 * @param ioTimeoutMs         io_timeout in milliseconds; 0 = driver default (30 s)
 * @param clearIds            clear_ids: hide NGUID/EUI-64/UUID so the export does not collide with the local
 *                            namespace (forced on for the loop transport, as Linux does)
 * @param allowedAdminOpcodes admin opcodes Linux rejects that this subsystem forwards anyway; only those in
 *                            {@link #OPT_IN_ADMIN_OPCODES} may be named
 */
public record PassthruSpec(String devicePath, boolean enable, int adminTimeoutMs, int ioTimeoutMs, boolean clearIds,
        Set<Integer> allowedAdminOpcodes) {

    /** Format NVM, Sanitize, Firmware Image Download, Firmware Commit: destructive, so never forwarded by default. */
    public static final Set<Integer> OPT_IN_ADMIN_OPCODES = Set.of(AdminOpcode.FORMAT_NVM, AdminOpcode.SANITIZE,
            AdminOpcode.FIRMWARE_DOWNLOAD, AdminOpcode.FIRMWARE_COMMIT);

    public PassthruSpec {
        if (adminTimeoutMs < 0 || ioTimeoutMs < 0) {
            throw new IllegalArgumentException("passthru timeouts must not be negative");
        }
        allowedAdminOpcodes = allowedAdminOpcodes == null ? Set.of() : Set.copyOf(allowedAdminOpcodes);
        for (int opcode : allowedAdminOpcodes) {
            if (!OPT_IN_ADMIN_OPCODES.contains(opcode)) {
                throw new IllegalArgumentException(String.format(
                        "admin opcode 0x%02x cannot be allowed for passthru (only Format NVM 0x80, Sanitize 0x84, "
                                + "Firmware Download 0x11 and Firmware Commit 0x10)", opcode));
            }
        }
    }

    /** Linux defaults: enabled, driver timeouts, IDs kept, nothing beyond Linux's allowlist. */
    public static PassthruSpec of(String devicePath) {
        return new PassthruSpec(devicePath, true, 0, 0, false, Set.of());
    }

    public PassthruSpec withClearIds(boolean clear) {
        return new PassthruSpec(devicePath, enable, adminTimeoutMs, ioTimeoutMs, clear, allowedAdminOpcodes);
    }

    public PassthruSpec withAllowedAdminOpcodes(Set<Integer> opcodes) {
        return new PassthruSpec(devicePath, enable, adminTimeoutMs, ioTimeoutMs, clearIds, opcodes);
    }

    public PassthruSpec withTimeouts(int adminMs, int ioMs) {
        return new PassthruSpec(devicePath, enable, adminMs, ioMs, clearIds, allowedAdminOpcodes);
    }
}
