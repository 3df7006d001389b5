/**
 * NVMe/TCP for the Java host: {@link org.jnvmet.host.tcp.NvmeTcpHostTransport} opens one TCP connection per queue,
 * exchanges ICReq/ICResp and moves command data in-capsule, with R2T/H2CData or C2HData (NVMe/TCP Transport 1.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.host.tcp;
