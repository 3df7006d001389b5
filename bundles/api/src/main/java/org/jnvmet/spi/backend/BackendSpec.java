package org.jnvmet.spi.backend;

/**
 * What a namespace's backend is opened from: configfs {@code device_path} and {@code buffered_io}, plus jnvmet's
 * RAM namespaces, which have no path (their {@code devicePath} is {@code ram:<size>}, e.g. {@code ram:512M}).
 *
 * @param devicePath  file, block device or {@code ram:SIZE}
 * @param bufferedIo  use the page cache (false: O_DIRECT where the device allows)
 * @param blockSize   logical block size for backends that choose it (RAM, file); 0 for the default (512)
 */
public record BackendSpec(String devicePath, boolean bufferedIo, int blockSize) {
}
