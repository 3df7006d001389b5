/**
 * JMX view of a running jnvmet target: one MXBean per port ({@code org.jnvmet:type=Port,id=N}), per subsystem
 * ({@code org.jnvmet:type=Subsystem,nqn="..."}) and per live controller
 * ({@code org.jnvmet:type=Controller,subsystem="...",cntlid=N}), plus {@code org.jnvmet:type=Target} with the
 * on-demand refresh. Names are built by {@link org.jnvmet.management.TargetJmx}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.management;
