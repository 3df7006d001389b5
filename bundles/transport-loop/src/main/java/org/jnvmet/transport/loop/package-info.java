/**
 * The loopback fabrics transport: target and host in one JVM, like the Linux kernel's nvme-loop. Commands move as
 * references (no data copies): the host's buffers become the target's {@code NvmeRequest.data()}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.transport.loop;
