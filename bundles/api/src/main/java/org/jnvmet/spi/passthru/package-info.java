/**
 * Passthru SPI: a whole local NVMe controller exported to remote hosts, modelled on Linux's
 * {@code drivers/nvme/target/passthru.c}. A {@link org.jnvmet.spi.passthru.NvmeDeviceFactory} opens an
 * {@link org.jnvmet.spi.passthru.NvmeDevice} from a subsystem's {@code passthru/device_path}; the core decides per
 * command what is forwarded to it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.spi.passthru;
