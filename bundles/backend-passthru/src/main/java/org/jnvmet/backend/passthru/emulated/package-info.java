/**
 * jnvmet's emulated NVMe controller: a RAM-backed controller behind the passthru SPI with several namespaces, the
 * admin and NVM commands a passthru target forwards, vendor-specific commands that move data both ways, and fault
 * injection (error statuses, delays, removal, events). It is the embedded default for demos ({@code emulated:NAME})
 * and the stand-in for hardware in tests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.backend.passthru.emulated;
