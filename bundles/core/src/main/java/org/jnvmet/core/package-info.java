/** The NVMe-oF target engine: {@link org.jnvmet.core.NvmetCore} wires transports, backends and accounting in plain Java. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.core;
