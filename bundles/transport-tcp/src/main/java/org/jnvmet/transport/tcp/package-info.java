/**
 * The NVMe/TCP fabrics transport (NVMe/TCP Transport 1.0): {@link org.jnvmet.transport.tcp.NvmeTcpTransport} listens
 * on TCP ports for the core and carries one queue per connection, like the Linux kernel's nvmet-tcp.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.transport.tcp;
