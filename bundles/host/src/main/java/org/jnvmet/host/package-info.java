/**
 * The Java NVMe over Fabrics host (initiator): connects to a subsystem over any
 * {@link org.jnvmet.host.spi.HostTransport}, brings the controller up as a Linux host does, and issues admin and
 * I/O commands. Start with {@link org.jnvmet.host.NvmeHost}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.host;
