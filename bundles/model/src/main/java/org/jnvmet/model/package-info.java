/**
 * The configuration model store: the configfs-like tree of hosts, subsystems, namespaces, passthru, ports,
 * referrals and ANA groups above {@link org.jnvmet.api.NvmeTarget}, addressed by paths such as
 * {@code subsystems/<nqn>/namespaces/1/device_path}, persisted as nvmetcli-compatible JSON.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.model;
