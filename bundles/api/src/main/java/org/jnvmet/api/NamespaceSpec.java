package org.jnvmet.api;

import java.util.UUID;

/**
 * A namespace's configfs attributes ({@code subsystems/<nqn>/namespaces/<nsid>/}).
 *
 * @param nsid        1..0xFFFFFFFE (the Linux target allows at most 1024 namespaces per subsystem)
 * @param devicePath  device_path: a file, a block device, or {@code ram:SIZE} (e.g. {@code ram:64M})
 * @param uuid        device_uuid; null to generate one
 * @param nguid       device_nguid as 32 hex digits; null to derive one from the uuid
 * @param anaGroupId  ana_grpid (1..128)
 * @param enabled     enable
 * @param bufferedIo  buffered_io
 * @param blockSize   logical block size in bytes for RAM and file namespaces (512 or 4096); 0 for 512
 */
public record NamespaceSpec(int nsid, String devicePath, UUID uuid, String nguid, int anaGroupId, boolean enabled,
        boolean bufferedIo, int blockSize) {

    public static NamespaceSpec of(int nsid, String devicePath) {
        return new NamespaceSpec(nsid, devicePath, null, null, 1, true, false, 0);
    }

    public NamespaceSpec withEnabled(boolean on) {
        return new NamespaceSpec(nsid, devicePath, uuid, nguid, anaGroupId, on, bufferedIo, blockSize);
    }
}
